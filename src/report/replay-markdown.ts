import { percent, type ReplayReport, type ReplaySample } from "../domain/replay-report.js";
import { replayHeadline, replaySettingsText, statusText } from "./replay-words.js";
import { markdownCell as cell } from "./text-escapes.js";

const fenced = (v: unknown) => ["```json", JSON.stringify(v, null, 2), "```"].join("\n");

/** The replay's report as Markdown (kept 0600 in the state directory: its examples hold requests and answers). */
export function replayMarkdown(r: ReplayReport, samples: readonly ReplaySample[], generatedAt: string): string {
  const { old, new: fresh } = r.latency;
  const lines = [
    `# Replay of ${r.service} against ${r.endpoint}/${r.deployment}`,
    "",
    `${generatedAt}. ${r.requests} requests from ${r.source}.`,
    "",
    `**${r.verdict.passed ? "Passes" : "Does not pass"}: ${replayHeadline(r)}.**`,
    ...r.verdict.reasons.map((reason) => `- ${reason}.`),
    "",
    replaySettingsText(r),
    "",
    "## Latency and errors",
    "",
    "| | old service | new deployment |",
    "|---|---|---|",
    ...(["p50", "p95", "p99", "max", "mean"] as const).map((k) => `| ${k} | ${old[k]} ms | ${fresh[k]} ms |`),
    `| answers by status | ${statusText(r.statuses.old)} | ${statusText(r.statuses.new)} |`,
    "",
    `The new p95 is ${r.latency.p95Ratio}× the old. The first ${r.settings.concurrency} requests of a run are left out of the figures (connections warm up) when there are 20 or more.`,
    "",
    "| latency | old service | new deployment |",
    "|---|---|---|",
    ...r.histogram.map((b) => `| ${b.from}–${b.to} ms | ${b.counts[0] ?? 0} | ${b.counts[1] ?? 0} |`),
    "",
    "## Noise",
    "",
    r.noise.sampled
      ? r.noise.fields.length
        ? `${r.noise.sampled} requests were sent twice to the old service. Its own answers differ in these fields, which are not counted as disagreements:\n\n| field | differs in |\n|---|---|\n${r.noise.fields.map((f) => `| \`${cell(f.field)}\` | ${percent(f.rate)} |`).join("\n")}`
        : `${r.noise.sampled} requests were sent twice to the old service; its answers were the same each time.`
      : "No request was sent twice to the old service, so its noise is not known.",
    "",
    "## Disagreements",
    "",
  ];
  if (!r.disagreed) lines.push("None.");
  else {
    lines.push("| field | requests |", "|---|---|", ...r.fields.map((f) => `| \`${cell(f.field)}\` | ${f.count} |`), "");
    for (const d of r.firstDisagreements) {
      const s = samples.find((x) => x.index === d.index);
      lines.push(`### Request ${d.index}: first differs at \`${cell(d.path)}\``, "");
      if (!s) {
        lines.push("(Its answers were not kept: a replay keeps the first ones with differences, and none from a run before a resume.)", "");
        continue;
      }
      for (const diff of s.differences.slice(0, 10))
        lines.push(
          `- \`${cell(diff.path)}\`: old \`${cell(JSON.stringify(diff.expected) ?? "absent")}\`, new \`${cell(JSON.stringify(diff.actual) ?? "absent")}\``,
        );
      lines.push(
        "",
        "Request:",
        "",
        fenced(s.request),
        "",
        `Old service (HTTP ${s.old.status}):`,
        "",
        fenced(s.old.body),
        "",
        `New deployment (HTTP ${s.new.status}):`,
        "",
        fenced(s.new.body),
        "",
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
