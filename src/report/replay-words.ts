import { LATENCY_FLOOR_MS, percent, type ReplayReport } from "../domain/replay-report.js";

/** What the latency figures and the gate's settings say, shared by the terminal and the report's files. */
export function replayHeadline(r: ReplayReport): string {
  const agreed = r.agreed + r.noisy;
  return `${agreed.toLocaleString("en-US")} of ${r.replayed.toLocaleString("en-US")} answers agree (${percent(r.agreement)})`;
}

/** The settings a reader needs to trust the verdict, in one sentence. */
export function replaySettingsText(r: ReplayReport): string {
  const s = r.settings;
  const ignore = s.ignore.length ? `; fields ignored: ${s.ignore.join(", ")}` : "";
  return (
    `Numbers agree within ${s.tolerance.relative} relative plus ${s.tolerance.absolute} absolute${ignore}. ` +
    `Traffic may move when at least ${percent(s.minAgreement)} agree and the new p95 is at most ${s.maxLatencyRatio}× the old (or ${LATENCY_FLOOR_MS} ms slower). ` +
    `Sent ${s.concurrency} at a time, at most ${s.ratePerSecond > 0 ? `${s.ratePerSecond} a second` : "as fast as they answer"} to the old service; ` +
    `${percent(s.noiseShare)} of the requests also sent twice to the old service to measure its noise.`
  );
}

/** Answers counted by status: `238× HTTP 200, 2× HTTP 500`. */
export function statusText(statuses: Readonly<Record<string, number>>): string {
  return Object.entries(statuses)
    .map(([s, n]) => `${n}× HTTP ${s}`)
    .join(", ");
}

/** The replay's verdict in a few words, for the result. */
export function replayVerdictText(report: { passed: boolean; agreement: number; replayed: number }): string {
  return `${report.passed ? "passed" : "did not pass"}: ${percent(report.agreement)} of ${report.replayed} replayed requests agree`;
}
