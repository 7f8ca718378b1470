import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import type { PlainPrompter } from "../plain/prompter.js";
import { UserFixableError } from "../../domain/errors.js";
import { parseServiceJson } from "../../domain/parse-service-json.js";
import { SessionStore } from "../../session/journal.js";
import { newStepRecords, type SessionService } from "../../session/session-file.js";
import type { Connect } from "../connect.js";
import { commandLineOf } from "../command-line.js";
import { EXIT } from "../../journey/exit-codes.js";
import type { CommandIo } from "../io.js";
import { chooseFrontEnd, optionsOf, requireWorkspace } from "../options.js";
import { overridesFrom, type OverrideFlags } from "../plan-override-options.js";
import { planWithFlags } from "../plan-with-flags.js";
import { answerWithoutAsking } from "../answer-policy.js";
import { readSample } from "../read-sample.js";
import { stateDirOf } from "../state-dir-option.js";
import { sessionTarget } from "../session-target.js";
import { connectWithEvents, driveSession, eventPrinter } from "../drive-session.js";
import { askWhatNow } from "../../journey/follow-run.js";
import { HeldOutput } from "../plain/held-output.js";
import { localRehearser } from "../local-rehearser.js";
import { readRequests } from "../read-requests.js";
import { replayOfFlags, type ReplayFlags } from "../replay-options.js";
import { cutoverOfFlags } from "../cutover-flags.js";
import type { CutoverFlags } from "../cutover-options.js";
import type { RehearsalFlags } from "../rehearsal-options.js";
import type { TargetFlags } from "../target-options.js";
import { planSummaryLine } from "../../journey/text/plan-text.js";

export async function runMigrate(io: CommandIo, connect: Connect, _local: unknown, cmd: Command): Promise<void> {
  const opts = optionsOf<MigrateOptions>(cmd);
  if (opts.plan?.length) return runSavedPlans(io, connect, cmd, opts);
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
  if (!opts.rehearse && (opts.runner || opts.python)) {
    throw new UserFixableError(`${opts.runner ? "--runner" : "--python"} says how to rehearse, but --rehearse was not given.`, {
      nextStep: "Add --rehearse to run the service on this machine before Azure is touched, or drop the flag.",
      kind: "input",
    });
  }
  const sampleRequest = opts.sampleRequest ? await readSample(opts.sampleRequest) : undefined;
  // The requests are read once now, so a file that cannot be read is refused before Azure is touched.
  const replay = replayOfFlags(opts);
  const cutover = cutoverOfFlags(opts);
  if (replay?.requests) await readRequests(replay.requests, replay.limit);
  const overrides = overridesFrom(opts);
  const [connected, { getV1Service, listV1Services }, { AzureMigrationAdapter }, { checkCodeFolder }, { findWorkspace }, { plainPrompter }] = await Promise.all(
    [
      connectWithEvents(connect, cmd, io, Boolean(opts.json)),
      import("../../azure/workspaces.js"),
      import("../../azure/migration-adapter.js"),
      import("../../azure/code-snapshot.js"),
      import("../find-workspace.js"),
      import("../plain/prompter.js"),
    ],
  );
  let ask: PlainPrompter | undefined;
  try {
    const ws = await findWorkspace(connected.conn, opts.workspace, opts.subscription, opts.resourceGroup, (message) =>
      eventPrinter(io, Boolean(opts.json))({ type: "notice", message }),
    );
    // --target-workspace: the endpoint and its assets go there; the service is read where it is.
    const into = opts.targetWorkspace
      ? await findWorkspace(connected.conn, opts.targetWorkspace, opts.targetSubscription, opts.targetResourceGroup)
      : undefined;
    const services: SessionService[] = [];
    const names = opts.all ? await healthyAciServices(await listV1Services(connected.conn, ws)) : [...new Set(opts.service)];
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
        ...(replay ? { replay } : {}),
        ...(cutover ? { cutover } : {}),
        ...(opts.rehearse ? { rehearse: { runner: opts.runner ?? "auto", ...(opts.python ? { python: opts.python } : {}) } } : {}),
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
    const stateDir = stateDirOf(cmd);
    const store = new SessionStore(stateDir, () => [...secrets]);
    const session = store.create({
      status: "running",
      target: sessionTarget(connected, ws, into),
      services,
    });
    session.release();
    const port = new AzureMigrationAdapter(connected.conn);
    const result = await driveSession(out, Boolean(opts.json), port, store, session.data.id, secrets, {
      concurrency: opts.concurrency,
      sampleRequest,
      rehearser: localRehearser(stateDir),
      readRequests,
      callers: { command, caPem: connected.conn.caPem },
      resumed: false,
      logs: opts.logs,
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
}

/** `--plan`: the saved plans say which services and how; flags that would say it again are refused. */
async function runSavedPlans(
  io: CommandIo,
  connect: Connect,
  cmd: Command,
  opts: MigrateOptions & { workspace?: string; subscription?: string; resourceGroup?: string; json?: boolean },
): Promise<void> {
  const given = cmd.options
    .filter((o) => o.attributeName() !== "plan" && o.attributeName() !== "yes" && cmd.getOptionValueSource(o.attributeName()) === "cli")
    .filter((o) => !["json", "concurrency", "logs"].includes(o.attributeName()))
    .map((o) => o.long!);
  const where = [opts.workspace && "--workspace", opts.subscription && "--subscription", opts.resourceGroup && "--resource-group"].filter(
    (f) => typeof f === "string",
  );
  if (given.length || where.length) {
    throw new UserFixableError(`--plan applies saved plans exactly, so ${[...where, ...given].join(", ")} cannot change them.`, {
      why: "A saved plan names its workspace, service and every choice; what was reviewed is what is applied.",
      nextStep: "Drop those flags, or plan again with them (`aci-migrate plan … --save FILE`) and apply the new file.",
      kind: "input",
    });
  }
  if (!opts.yes) {
    throw new UserFixableError("migrate --plan changes Azure resources and needs --yes: the saved plan is what was reviewed.", {
      nextStep: "Add --yes.",
      source: "command line",
      field: "--yes",
      kind: "input",
    });
  }
  const { runMigratePlans } = await import("./migrate-plans.js");
  await runMigratePlans(io, connect, cmd, { plan: opts.plan!, json: Boolean(opts.json) });
}

interface MigrateOptions extends OverrideFlags, RehearsalFlags, ReplayFlags, CutoverFlags, TargetFlags {
  plan?: string[];
  rehearse?: boolean;
  service?: string[];
  all?: boolean;
  concurrency: number;
  codeDir?: string;
  sampleRequest?: string;
  yes?: boolean;
}

/** `--all`: the workspace's ACI services that are Healthy (AKS and broken ones are not migrated). */
function healthyAciServices(docs: readonly Record<string, unknown>[]): string[] {
  return docs
    .filter((d) => String(d.computeType).toUpperCase() === "ACI" && d.state === "Healthy")
    .map((d) => String(d.name))
    .sort();
}
