import type { Command } from "commander";
import { UserFixableError } from "../../domain/errors.js";
import { buildPlan } from "../../domain/plan.js";
import { EXIT } from "../../journey/exit-codes.js";
import type { MigrationPort, WorkspaceTarget } from "../../migration/port.js";
import { renderReplayText } from "../../journey/text/replay-text.js";
import { runReplay, replayIdentity, type ReplayProgress } from "../../migration/replay.js";
import { saveReplayReport } from "../../migration/replay-files.js";
import { collectedReplayRequests, replaySides } from "../../migration/replay-inputs.js";
import { compareReplayDir, ReplayJournal } from "../../session/replay-journal.js";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { openLiveService } from "../live-service.js";
import { optionsOf } from "../options.js";
import { readRequests } from "../read-requests.js";
import { replaySettingsFrom, type ReplayFlags } from "../replay-options.js";
import { printJson } from "../render/json-output.js";
import { stateDirOf } from "../state-dir-option.js";

interface CompareOptions extends ReplayFlags {
  workspace?: string;
  subscription?: string;
  resourceGroup?: string;
  service?: string;
  endpoint?: string;
  deployment?: string;
  json?: boolean;
}

/**
 * `aci-migrate compare`: the requests replayed on both sides, the report written and summed up. Exit 1 when the
 * comparison does not pass, 130 when stopped (what was replayed is kept for the next run).
 */
export async function runCompare(io: CommandIo, connect: Connect, cmd: Command): Promise<void> {
  const opts = optionsOf<CompareOptions>(cmd);
  const settings = replaySettingsFrom(opts);
  const given = opts.requests ? await readRequests(opts.requests, opts.limit) : undefined;
  const { session, ws, doc, service, adapter: port } = await openLiveService(opts, cmd, connect);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    const plan = buildPlan(service, {});
    const endpoint = opts.endpoint ?? plan.endpointName;
    const deployment = opts.deployment ?? (await chooseDeployment(port, ws, endpoint, plan.deploymentName));
    const requests = given ?? (await collectedReplayRequests(port, ws, doc, service, opts.limit));
    if (!requests) {
      throw new UserFixableError(`There are no requests to replay for ${service.name}.`, {
        why: "No --requests were given, and the service's model data collection kept no inputs in the workspace's storage.",
        nextStep: "Pass the requests its callers send with --requests FILE (JSON Lines: a request body per line) or --requests DIR (a .json body per file).",
        kind: "input",
      });
    }
    const sides = await replaySides(port, ws, { doc, service, endpoint, deployment, secrets: new Set() });
    const job = { service: service.name, endpoint, deployment, source: requests.source, requests: requests.requests, ...sides, settings };
    const journal = ReplayJournal.open(compareReplayDir(stateDirOf(cmd), ws.workspace, service.name), replayIdentity(job));
    if (!opts.json) io.out(`Replaying ${requests.requests.length} requests on ${service.name} and on ${endpoint}/${deployment}…`);
    const outcome = await runReplay(port, job, journal, { signal: controller.signal, onProgress: opts.json ? undefined : progressPrinter(io) });
    if (outcome.stopped) {
      io.err(`Replay stopped after ${outcome.report.replayed} of ${outcome.report.requests} requests; run the same command again to go on from there.`);
      process.exitCode = EXIT.cancelled;
      return;
    }
    const files = saveReplayReport(journal, outcome);
    if (opts.json) printJson(io, { report: outcome.report, files });
    else io.out(`\n${renderReplayText(outcome.report, outcome.samples, files, io.decorated)}`);
    process.exitCode = outcome.report.verdict.passed ? EXIT.done : EXIT.failed;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await session.close();
  }
}

/** The migration's deployment when the endpoint has it, else the endpoint's only one; asks for --deployment otherwise. */
async function chooseDeployment(port: MigrationPort, ws: WorkspaceTarget, endpoint: string, planned: string): Promise<string> {
  const deployments = await port.listDeployments(ws, endpoint).catch(() => []);
  const names = deployments.map((d) => d.name);
  const found = names.find((n) => n.toLowerCase() === planned.toLowerCase()) ?? (names.length === 1 ? names[0] : undefined);
  if (found) return found;
  throw new UserFixableError(
    names.length
      ? `Endpoint ${endpoint} has ${names.length} deployments (${names.join(", ")}); which one to compare is not clear.`
      : `Endpoint ${endpoint} has no deployment to compare.`,
    { nextStep: names.length ? "Name it with --deployment NAME." : "Migrate the service first (or name its endpoint with --endpoint).", kind: "state" },
  );
}

/** Prints how far the replay is, every tenth of the way. */
function progressPrinter(io: CommandIo): (p: ReplayProgress) => void {
  let shown = -1;
  return (p) => {
    const tenth = Math.floor((p.done / Math.max(1, p.total)) * 10);
    if (tenth === shown) return;
    shown = tenth;
    const resumed = p.resumed ? ` (${p.resumed} from the last run)` : "";
    io.out(`  · ${p.done} of ${p.total} requests compared${resumed}; ${p.disagreed} with differences`);
  };
}
