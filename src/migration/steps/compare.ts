import { UserFixableError } from "../../domain/errors.js";
import { DEFAULT_TOLERANCE } from "../../domain/compare-answers.js";
import { DEFAULT_REPLAY_SETTINGS, type ReplaySettings } from "../../domain/replay-report.js";
import { ReplayJournal } from "../../session/replay-journal.js";
import { replayHeadline } from "../../report/replay-words.js";
import { askUser } from "../ask-user.js";
import { replayIdentity, runReplay } from "../replay.js";
import { saveReplayReport } from "../replay-files.js";
import { collectedReplayRequests, replaySides } from "../replay-inputs.js";
import { planOf, progress, type ServiceRun } from "../service-run.js";
import type { Step } from "./step.js";

const DEFAULT_SETTINGS: ReplaySettings = { ...DEFAULT_REPLAY_SETTINGS, tolerance: DEFAULT_TOLERANCE };

/**
 * 6. Real requests replayed on the ACI service and on the new deployment (pinned by name: traffic has not
 * moved), before callers move: `--requests`, else what the service's data collection kept. Traffic moves only
 * when the comparison passes; otherwise the person is asked, with the report at hand (`--yes` stops). With no
 * requests at hand the smoke test stays the only evidence, and the step says how little that is.
 */
export const compare: Step = async (run) => {
  const plan = planOf(run);
  const options = run.entry.replay;
  if (run.entry.outcome?.smokeTest?.status === "skipped") {
    return {
      outcome: "skipped",
      detail: `the new deployment cannot be reached from this machine (${run.entry.outcome.smokeTest.detail}), so nothing was compared`,
    };
  }
  const requests = options?.requests
    ? await readGiven(run, options.requests, options.limit)
    : await collectedReplayRequests(run.port, run.ws, run.doc ?? {}, run.service!, options?.limit);
  if (!requests) {
    return {
      outcome: "skipped",
      detail:
        "no requests to replay: one smoke request is all that shows the new deployment answers as the old service; give real requests with --requests FILE|DIR (or turn on the service's data collection) to compare many",
    };
  }
  if (!run.doc?.scoringUri) return { outcome: "skipped", detail: "the ACI service does not answer (no scoring URI), so there is nothing to compare with" };
  if (plan.authMode !== "Key") return { outcome: "skipped", detail: `the endpoint authenticates with ${plan.authMode}; a replay calls it with its key` };
  const sides = await replaySides(run.port, run.ws, {
    at: run.at,
    doc: run.doc,
    service: run.service!,
    endpoint: plan.endpointName,
    deployment: plan.deploymentName,
    secrets: run.secrets,
  });
  const settings = options?.settings ?? DEFAULT_SETTINGS;
  const job = {
    service: run.entry.name,
    endpoint: plan.endpointName,
    deployment: plan.deploymentName,
    source: requests.source,
    requests: requests.requests,
    ...sides,
    settings,
  };
  const journal = ReplayJournal.open(run.session.replayDir(run.entry.name), replayIdentity(job));
  let tenth = -1;
  const outcome = await runReplay(run.port, job, journal, {
    signal: run.signal,
    onProgress: (p) => {
      if (Math.floor((p.done / p.total) * 10) === tenth) return;
      tenth = Math.floor((p.done / p.total) * 10);
      progress(
        run,
        "compare",
        `${p.done} of ${p.total} requests compared${p.resumed ? ` (${p.resumed} in an earlier run)` : ""}; ${p.disagreed} with differences`,
      );
    },
  });
  if (outcome.stopped) throw run.signal?.reason ?? new Error("The replay stopped before every request was compared.");
  const files = saveReplayReport(journal, outcome);
  const r = outcome.report;
  run.session.note(
    () => (run.entry.replay = { ...run.entry.replay, report: { file: files.html, passed: r.verdict.passed, agreement: r.agreement, replayed: r.replayed } }),
  );
  const summary = `${replayHeadline(r)}; the new p95 is ${r.latency.p95Ratio}× the old (report: ${files.html})`;
  if (r.verdict.passed) return { outcome: "done", detail: summary };
  const first = r.firstDisagreements[0];
  const message = `The replay of ${r.replayed} requests does not pass: ${r.verdict.reasons.join("; ")}.${first ? ` The first disagreeing request is #${first.index}, at ${first.path}.` : ""}`;
  const answer = await askUser(run, {
    step: "compare",
    situation: "disagrees",
    resource: "deployment",
    message,
    report: files.html,
    choices: ["accept", "stop"],
  });
  if (answer.choice === "accept") return { outcome: "done", detail: `${summary}; traffic moves as you chose, although the comparison did not pass` };
  throw new UserFixableError(message, {
    why: `Traffic stays where it was (${plan.deploymentName} takes none of it) and the ACI service is untouched. The report shows the disagreements side by side.`,
    nextStep: `Read the report (${files.html}). Fix what differs (often a library the new image resolves to another version: pin it as the ACI image had it) and run \`aci-migrate resume ${run.session.data.id}\`; or, where the differences are acceptable, loosen the gate with --min-agreement, --rtol/--atol or --ignore.`,
    source: files.html,
    kind: "state",
  });
};

async function readGiven(run: ServiceRun, path: string, limit?: number) {
  if (!run.readRequests) throw new Error("BUG: the session replays a requests file, and this run cannot read files.");
  const given = await run.readRequests(path, limit);
  return { requests: [...given.requests], source: given.source };
}
