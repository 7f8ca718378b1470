import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { AzureMigrationAdapter } from "../../azure/migration-adapter.js";
import { getV1Service, listV1Services, type WorkspaceSummary } from "../../azure/workspaces.js";
import { UserFixableError } from "../../domain/errors.js";
import { parseServiceJson } from "../../domain/parse-service-json.js";
import { runMigration } from "../../migration/engine.js";
import type { MigrationEvent } from "../../migration/events.js";
import { SessionStore } from "../../session/journal.js";
import { newStepRecords, type SessionService } from "../../session/session-file.js";
import { defaultStateDir } from "../../session/state-dir.js";
import type { Connect, ConnectedSession } from "../connect.js";
import { EXIT } from "../exit-codes.js";
import { findWorkspace } from "../find-workspace.js";
import type { CommandIo } from "../io.js";
import { collect, wholeNumber } from "../options.js";
import { addOverrideOptions, overridesFrom, planWithFlags, type OverrideFlags } from "../plan-override-options.js";
import { answerWithoutAsking } from "../answer-policy.js";
import { renderEventLine } from "../render/events-text.js";

interface MigrateOptions extends OverrideFlags {
  workspace: string;
  subscription?: string;
  resourceGroup?: string;
  service?: string[];
  all?: boolean;
  concurrency: number;
  codeDir?: string;
  sampleRequest?: string;
  yes?: boolean;
  json?: boolean;
}

export function stateDirOf(cmd: Command): string {
  return (cmd.optsWithGlobals() as { stateDir?: string }).stateDir ?? defaultStateDir(process.env, process.platform, homedir());
}

/** Runs (or resumes) a session to its end, rendering the events; returns the exit code. */
export async function driveSession(io: CommandIo, json: boolean, connected: ConnectedSession, store: SessionStore, sessionId: string, secrets: Set<string>, o: { concurrency: number; sampleRequest?: unknown; resumed: boolean }): Promise<number> {
  const session = store.open(sessionId);
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error("cancelled by Ctrl+C"));
  process.once("SIGINT", onSigint);
  const finals: Extract<MigrationEvent, { type: "service-finished" }>[] = [];
  const print = eventPrinter(io, json);
  try {
    const status = await runMigration({
      port: new AzureMigrationAdapter(connected.conn),
      session,
      secrets,
      signal: controller.signal,
      concurrency: o.concurrency,
      sampleRequest: o.sampleRequest,
      resumed: o.resumed,
      emit: (e) => {
        if (e.type === "service-finished") finals.push(e);
        if (e.type === "needs-input") queueMicrotask(() => e.respond(answerWithoutAsking(e)));
        print(e);
      },
    });
    if (json) {
      io.out(JSON.stringify({ sessionId, status, services: finals.map(({ service, endpointName, deploymentName, scoringUri, status: s, smokeTest }) => ({ service, endpointName, deploymentName, scoringUri, status: s, smokeTest })) }));
    }
    return status === "done" ? EXIT.done : status === "cancelled" ? EXIT.cancelled : EXIT.failed;
  } finally {
    process.off("SIGINT", onSigint);
    session.release();
  }
}

/** Prints events as the command renders them: NDJSON with --json (functions such as `respond` drop out), else lines. */
export function eventPrinter(io: CommandIo, json: boolean): (e: MigrationEvent) => void {
  return (e) => {
    if (json) return io.out(JSON.stringify({ event: e }));
    const line = renderEventLine(e, io.decorated);
    if (line) io.out(line);
  };
}

/** Connects, with device-code prompts going into the command's event stream (NDJSON under --json). */
export function connectWithEvents(connect: Connect, cmd: Command, io: CommandIo, json: boolean): Promise<ConnectedSession> {
  const print = eventPrinter(io, json);
  return connect(cmd, { onSignIn: (p) => print({ type: "sign-in", ...p }) });
}

export function migrateCommand(io: CommandIo, connect: Connect): Command {
  const cmd = new Command("migrate")
    .description("Migrate v1 ACI services to managed online endpoints, step by step, resumable.")
    .requiredOption("-w, --workspace <name>", "the workspace of the services")
    .option("-s, --subscription <id>", "the subscription of the workspace, when its name is not unique")
    .option("-g, --resource-group <name>", "the resource group of the workspace, when its name is not unique")
    .option("--service <name>", "a service to migrate (repeatable)", collect)
    .option("--all", "every healthy ACI service in the workspace");
  return addOverrideOptions(cmd)
    .option("--code-dir <dir>", "take the scoring code from this folder instead of the v1 source snapshot (one service only)")
    .option("--concurrency <n>", "services migrated at the same time", wholeNumber, 4)
    .option("--sample-request <file>", "JSON request for the smoke test (default: {\"data\": [[0.5, 1.5, 2.5, 3.5]]})")
    .option("--yes", "run without asking (required when not interactive)")
    .option("--json", "print the events as NDJSON and a final object")
    .addHelpText(
      "after",
      `
Examples:
  $ aci-migrate --sandbox --state-dir .sandbox migrate --workspace ml-prod-eastus --service credit-2cpu-4gb --yes
  $ aci-migrate migrate --workspace ws --service a --service b --instances 3 --yes --json
  $ aci-migrate --sandbox --state-dir .sandbox migrate --workspace ml-batch-eastus --all --concurrency 4 --yes

An endpoint or deployment left Failed (or different from the plan) by an earlier run gets the plan applied
again; one that fails during this run is left as it is (run again with changed flags, e.g. --environment).

Exit codes: 0 migrated, 1 failed (resume with \`aci-migrate resume\`), 2 bad input, 130 cancelled.`,
    )
    .action(async (opts: MigrateOptions, cmd: Command) => {
      if (Boolean(opts.all) === Boolean(opts.service?.length)) {
        throw new UserFixableError(opts.all ? "--all and --service name the services twice." : "Which services? Neither --service nor --all was given.", { nextStep: "Name services with --service (repeatable), or take every healthy ACI service with --all.", kind: "input" });
      }
      if (opts.endpointName && (opts.all || opts.service!.length > 1)) {
        throw new UserFixableError("--endpoint-name names one endpoint, but several services were given.", { nextStep: "Migrate that service on its own, or drop --endpoint-name.", kind: "input" });
      }
      if (opts.codeDir && (opts.all || opts.service!.length > 1)) {
        throw new UserFixableError("--code-dir names one service's code, but several services were given.", { nextStep: "Migrate that service on its own.", kind: "input" });
      }
      const codeDir = opts.codeDir ? resolve(opts.codeDir) : undefined;
      if (codeDir && !(existsSync(codeDir) && statSync(codeDir).isDirectory())) {
        throw new UserFixableError(`--code-dir ${opts.codeDir} is not a folder.`, { nextStep: "Point at the folder that holds the scoring script.", source: opts.codeDir, kind: "input" });
      }
      if (!opts.yes) {
        throw new UserFixableError("migrate changes Azure resources and needs --yes when it runs without the wizard.", { nextStep: "Review with `aci-migrate plan`, then add --yes.", kind: "input" });
      }
      const sampleRequest = opts.sampleRequest ? await readSample(opts.sampleRequest) : undefined;
      const overrides = overridesFrom(opts);
      const connected = await connectWithEvents(connect, cmd, io, Boolean(opts.json));
      try {
        const ws = await findWorkspace(connected.conn, opts.workspace, opts.subscription, opts.resourceGroup);
        const services: SessionService[] = [];
        const names = opts.all ? await healthyAciServices(connected, ws) : [...new Set(opts.service)];
        if (!names.length) throw new UserFixableError(`Workspace ${ws.workspace} has no healthy ACI service to migrate.`, { nextStep: `See them with \`aci-migrate${connected.sandbox ? " --sandbox" : ""} services --workspace ${ws.workspace}\`.`, kind: "state" });
        for (const name of names) {
          const doc = await getV1Service(connected.conn, ws, name);
          if (!doc) throw new UserFixableError(`Workspace ${ws.workspace} has no service named ${name}.`, { nextStep: `List them with \`aci-migrate${connected.sandbox ? " --sandbox" : ""} services --workspace ${ws.workspace}\`.`, kind: "input" });
          services.push({ name, overrides, codeDir, plan: planWithFlags(parseServiceJson(doc, `${ws.workspace}/${name}`), overrides), steps: newStepRecords(), resources: {} });
        }
        const secrets = new Set<string>();
        const store = new SessionStore(stateDirOf(cmd), () => [...secrets]);
        const session = store.create({
          status: "running",
          target: { kind: connected.sandbox ? "sandbox" : "azure", armEndpoint: connected.conn.armEndpoint, subscriptionId: ws.subscriptionId, resourceGroup: ws.resourceGroup, workspace: ws.workspace, location: ws.location },
          services,
        });
        session.release();
        process.exitCode = await driveSession(io, Boolean(opts.json), connected, store, session.data.id, secrets, { concurrency: opts.concurrency, sampleRequest, resumed: false });
      } finally {
        await connected.close();
      }
    });
}

async function readSample(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    throw new UserFixableError(`Cannot read the sample request ${file}: ${(e as Error).message}.`, { nextStep: "Pass a JSON file your scoring script accepts.", source: file, kind: "input" });
  }
}

/** `--all`: the workspace's ACI services that are Healthy (AKS and broken ones are not migrated). */
async function healthyAciServices(connected: ConnectedSession, ws: WorkspaceSummary): Promise<string[]> {
  const docs = await listV1Services(connected.conn, ws);
  return docs.filter((d) => String(d.computeType).toUpperCase() === "ACI" && d.state === "Healthy").map((d) => String(d.name)).sort();
}
