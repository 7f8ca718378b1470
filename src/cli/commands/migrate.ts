import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { AzureMigrationAdapter } from "../../azure/migration-adapter.js";
import { checkCodeFolder } from "../../azure/code-snapshot.js";
import { getV1Service, listV1Services, type WorkspaceSummary } from "../../azure/workspaces.js";
import { UserFixableError } from "../../domain/errors.js";
import { parseServiceJson } from "../../domain/parse-service-json.js";
import { SessionStore } from "../../session/journal.js";
import { newStepRecords, type SessionService } from "../../session/session-file.js";
import { defaultStateDir } from "../../session/state-dir.js";
import type { Connect, ConnectedSession } from "../connect.js";
import { commandLineOf } from "../command-line.js";
import { EXIT } from "../../journey/exit-codes.js";
import { findWorkspace } from "../find-workspace.js";
import type { CommandIo } from "../io.js";
import { chooseFrontEnd, collect, optionsOf, requireWorkspace, wholeNumber } from "../options.js";
import { addOverrideOptions, overridesFrom, planWithFlags, type OverrideFlags } from "../plan-override-options.js";
import { answerWithoutAsking } from "../answer-policy.js";
import { connectWithEvents, driveSession } from "../drive-session.js";
import { askWhatNow } from "../../journey/follow-run.js";
import { HeldOutput } from "../plain/held-output.js";
import { plainPrompter, type PlainPrompter } from "../plain/prompter.js";
import { planSummaryLine } from "../../journey/text/plan-text.js";

interface MigrateOptions extends OverrideFlags {
  service?: string[];
  all?: boolean;
  concurrency: number;
  codeDir?: string;
  sampleRequest?: string;
  yes?: boolean;
}

export function stateDirOf(cmd: Command): string {
  const g = cmd.optsWithGlobals() as { stateDir?: string; sandbox?: boolean };
  if (g.stateDir) return g.stateDir;
  // A sandbox with no state directory lives in memory; its sessions do too (a folder gone when the process
  // ends), instead of journaling resources that vanish with it next to the real ones in the home folder.
  return g.sandbox ? ephemeralStateDir() : defaultStateDir(process.env, process.platform, homedir());
}

let ephemeral: string | undefined;
function ephemeralStateDir(): string {
  if (!ephemeral) {
    const dir = mkdtempSync(join(tmpdir(), "aci-migrate-in-memory-"));
    ephemeral = dir;
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return ephemeral;
}

export function migrateCommand(io: CommandIo, connect: Connect): Command {
  const cmd = new Command("migrate")
    .description("Migrate v1 ACI services to managed online endpoints, step by step, resumable.")
    .option("--service <name>", "a service to migrate (repeatable)", collect)
    .option("--all", "every healthy ACI service in the workspace");
  return addOverrideOptions(cmd)
    .option("--code-dir <dir>", "take the scoring code from this folder instead of the v1 source snapshot (one service only)")
    .option("--concurrency <n>", "services migrated at the same time", wholeNumber, 4)
    .option("--sample-request <file>", 'JSON request for the smoke test (default: {"data": [[0.5, 1.5, 2.5, 3.5]]})')
    .option("--yes", "run without asking (required off a terminal and with --json)")
    .addHelpText(
      "after",
      `
Examples (--state-dir .sandbox keeps the sandbox's world and the sessions between commands):
  $ aci-migrate --sandbox --state-dir .sandbox migrate -w ml-prod-eastus --service credit-2cpu-4gb --yes
  $ aci-migrate --sandbox --state-dir .sandbox migrate -w ml-prod-eastus --service churn-keyauth --service iris-noauth --instances 2 --yes --json
  $ aci-migrate --sandbox --state-dir .sandbox migrate -w ml-batch-eastus --all --concurrency 4 --yes

On Azure, drop --sandbox and --state-dir. At a terminal without --yes, migrate shows what it will create and
asks first; with --yes (required off a terminal and with --json) it asks nothing. An endpoint or deployment
left Failed (or different from the plan) by an earlier run gets the plan applied again; one that fails during
this run is left as it is (run again with changed flags, e.g. --environment). A new --sku for a deployment
that exists is a new deployment beside it (Azure cannot change a VM size): created, smoke-tested, given the
traffic, then the old one is deleted.

Exit codes: 0 migrated, 1 failed (resume with \`aci-migrate resume\`), 2 bad input, 130 cancelled (Ctrl+C,
or "no" at the question; what runs in Azure goes on, and resume picks it up).`,
    )
    .action(async (_local: unknown, cmd: Command) => {
      const opts = optionsOf<MigrateOptions>(cmd);
      requireWorkspace(opts.workspace, "migrate");
      if (Boolean(opts.all) === Boolean(opts.service?.length)) {
        throw new UserFixableError(opts.all ? "--all and --service name the services twice." : "Which services? Neither --service nor --all was given.", {
          nextStep: "Name services with --service (repeatable), or take every healthy ACI service with --all.",
          kind: "input",
        });
      }
      if (opts.endpointName && (opts.all || opts.service!.length > 1)) {
        throw new UserFixableError("--endpoint-name names one endpoint, but several services were given.", {
          nextStep: "Migrate that service on its own, or drop --endpoint-name.",
          kind: "input",
        });
      }
      if (opts.codeDir && (opts.all || opts.service!.length > 1)) {
        throw new UserFixableError("--code-dir names one service's code, but several services were given.", {
          nextStep: "Migrate that service on its own.",
          kind: "input",
        });
      }
      const codeDir = opts.codeDir ? resolve(opts.codeDir) : undefined;
      if (codeDir && !(existsSync(codeDir) && statSync(codeDir).isDirectory())) {
        throw new UserFixableError(`--code-dir ${opts.codeDir} is not a folder.`, {
          nextStep: "Point at the folder that holds the scoring script.",
          source: opts.codeDir,
          kind: "input",
        });
      }
      const interactive = !opts.yes && !opts.json && chooseFrontEnd(opts) !== "none";
      if (!opts.yes && !interactive) {
        throw new UserFixableError("migrate changes Azure resources and needs --yes when nobody is at a terminal to confirm.", {
          nextStep: "Review with `aci-migrate plan`, then add --yes.",
          source: "command line",
          field: "--yes",
          kind: "input",
        });
      }
      const sampleRequest = opts.sampleRequest ? await readSample(opts.sampleRequest) : undefined;
      const overrides = overridesFrom(opts);
      const connected = await connectWithEvents(connect, cmd, io, Boolean(opts.json));
      let ask: PlainPrompter | undefined;
      try {
        const ws = await findWorkspace(connected.conn, opts.workspace, opts.subscription, opts.resourceGroup);
        const services: SessionService[] = [];
        const names = opts.all ? await healthyAciServices(connected, ws) : [...new Set(opts.service)];
        if (!names.length)
          throw new UserFixableError(`Workspace ${ws.workspace} has no healthy ACI service to migrate.`, {
            nextStep: `See them with \`${commandLineOf(cmd, { sandbox: connected.sandbox })(`services --workspace ${ws.workspace}`)}\`.`,
            kind: "state",
          });
        for (const name of names) {
          const doc = await getV1Service(connected.conn, ws, name);
          if (!doc)
            throw new UserFixableError(`Workspace ${ws.workspace} has no service named ${name}.`, {
              nextStep: `List them with \`${commandLineOf(cmd, { sandbox: connected.sandbox })(`services --workspace ${ws.workspace}`)}\`.`,
              kind: "input",
            });
          services.push({
            name,
            overrides,
            codeDir,
            plan: planWithFlags(parseServiceJson(doc, `${ws.workspace}/${name}`), overrides),
            steps: newStepRecords(),
            resources: {},
          });
        }
        // A code folder without its scoring script (or with a link out of it) is refused before anything exists.
        if (codeDir) await checkCodeFolder(codeDir, services[0]!.plan.code.scoringScript ?? "score.py");
        const command = commandLineOf(cmd, { sandbox: connected.sandbox });
        ask = interactive ? plainPrompter(io, { command }) : undefined;
        const out = ask?.output ?? new HeldOutput(io);
        if (ask) {
          // At a terminal without --yes: say what will be created where, and ask once.
          io.out(`In workspace ${ws.workspace} (${ws.resourceGroup}, ${ws.location}):`);
          for (const s of services) io.out(planSummaryLine(s.plan, io.decorated));
          if (!(await ask.confirm(`Create ${services.length === 1 ? "this endpoint" : `these ${services.length} endpoints`} now?`, { default: false }))) {
            io.err("Nothing was changed.");
            process.exitCode = EXIT.cancelled;
            return;
          }
        }
        const secrets = new Set<string>();
        const store = new SessionStore(stateDirOf(cmd), () => [...secrets]);
        const session = store.create({
          status: "running",
          target: {
            kind: connected.sandbox ? "sandbox" : "azure",
            armEndpoint: connected.conn.armEndpoint,
            subscriptionId: ws.subscriptionId,
            resourceGroup: ws.resourceGroup,
            workspace: ws.workspace,
            location: ws.location,
          },
          services,
        });
        session.release();
        const port = new AzureMigrationAdapter(connected.conn);
        const result = await driveSession(out, Boolean(opts.json), port, store, session.data.id, secrets, {
          concurrency: opts.concurrency,
          sampleRequest,
          resumed: false,
          command,
          answer: ask
            ? (
                (a) => (request, plan) =>
                  askWhatNow(a, request, plan, { port, ws })
              )(ask)
            : answerWithoutAsking,
        });
        process.exitCode = result.exitCode;
      } finally {
        ask?.dispose();
        await connected.close();
      }
    });
}

async function readSample(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    throw new UserFixableError(`Cannot read the sample request ${file}: ${(e as Error).message}.`, {
      nextStep: "Pass a JSON file your scoring script accepts.",
      source: file,
      kind: "input",
    });
  }
}

/** `--all`: the workspace's ACI services that are Healthy (AKS and broken ones are not migrated). */
async function healthyAciServices(connected: ConnectedSession, ws: WorkspaceSummary): Promise<string[]> {
  const docs = await listV1Services(connected.conn, ws);
  return docs
    .filter((d) => String(d.computeType).toUpperCase() === "ACI" && d.state === "Healthy")
    .map((d) => String(d.name))
    .sort();
}
