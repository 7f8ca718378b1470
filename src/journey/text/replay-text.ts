import type { HistogramBin } from "../../domain/latency.js";
import { LATENCY_FLOOR_MS, percent, type ReplayReport, type ReplaySample } from "../../domain/replay-report.js";
import { replayHeadline } from "../../report/replay-words.js";
import { columns, paint, wrapped } from "./text.js";

/** A value of an answer in one line; cut values say so (the report's files hold them whole). */
export function shortValue(v: unknown, max = 48): string {
  const text = v === undefined ? "(absent)" : typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The replay's summary for a terminal of 80 columns: the verdict, a table of latencies and errors, a histogram. */
export function renderReplayText(r: ReplayReport, samples: readonly ReplaySample[], files: { html?: string; markdown?: string }, decorated: boolean): string {
  const c = paint(decorated);
  const out: string[] = [];
  out.push(c.bold(`Replay of ${r.service} against ${r.endpoint}/${r.deployment}`));
  out.push(...wrapped(`${r.requests.toLocaleString("en-US")} requests from ${r.source}.`, "  "));
  const mark = r.disagreed ? c.red("✗") : c.green("✓");
  out.push(`  ${mark} ${replayHeadline(r)}${r.noisy ? `, ${r.noisy} of them differing only in noise` : ""}`);
  if (r.noise.sampled) {
    const fields = r.noise.fields.map((f) => `${f.field} (${percent(f.rate)})`).join(", ");
    out.push(
      ...wrapped(
        fields
          ? `Noise: ${r.noise.sampled} requests sent twice to the old service; its own answers differ in ${fields}, so those fields are not counted as disagreements.`
          : `Noise: ${r.noise.sampled} requests sent twice to the old service; its answers were the same each time.`,
        "  ",
      ),
    );
  }
  if (r.fields.length) out.push(...wrapped(`Fields that disagree: ${r.fields.map((f) => `${f.field} (${f.count})`).join(", ")}.`, "  "));
  for (const d of r.firstDisagreements) {
    const sample = samples.find((s) => s.index === d.index);
    const diff = sample?.differences[0];
    out.push(`  request ${d.index}, at ${d.path}:`);
    if (diff) out.push(`    old ${shortValue(diff.expected)}`, `    new ${shortValue(diff.actual)}`);
    else if (sample) out.push(`    old HTTP ${sample.old.status}`, `    new HTTP ${sample.new.status}`);
  }
  out.push("");
  const { old, new: fresh } = r.latency;
  const ms = (n: number) => `${n} ms`;
  const errors = (statuses: Readonly<Record<string, number>>) =>
    Object.entries(statuses)
      .filter(([s]) => s !== "200")
      .map(([s, n]) => `${n}× HTTP ${s}`)
      .join(", ") || "none";
  out.push(
    columns([
      ["", "old service", "new deployment"],
      ["p50", ms(old.p50), ms(fresh.p50)],
      ["p95", ms(old.p95), ms(fresh.p95)],
      ["p99", ms(old.p99), ms(fresh.p99)],
      ["errors", errors(r.statuses.old), errors(r.statuses.new)],
    ]),
  );
  out.push(...wrapped(`The new p95 is ${r.latency.p95Ratio}× the old (at most ${r.settings.maxLatencyRatio}×, or ${LATENCY_FLOOR_MS} ms more, passes).`, "  "));
  out.push("", ...histogramLines(r.histogram), "");
  out.push(
    r.verdict.passed
      ? c.green("  The comparison passes: traffic may move.")
      : c.red("  The comparison does not pass:") + "\n" + r.verdict.reasons.flatMap((reason) => wrapped(`- ${reason}.`, "    ")).join("\n"),
  );
  if (files.html) out.push("", "  The report (report.md and report.json beside it):", `  ${files.html}`);
  return out.join("\n");
}

/** A histogram of both sides as bars, one line per side and bin, at most 40 characters of bar. */
function histogramLines(bins: readonly HistogramBin[]): string[] {
  if (!bins.length) return [];
  const top = Math.max(1, ...bins.flatMap((b) => b.counts));
  const label = (b: HistogramBin) => `${b.from}–${b.to} ms`;
  const width = Math.max(...bins.map((b) => label(b).length));
  const lines = ["  Latency (requests per bin; old ▒, new █)"];
  for (const b of bins) {
    const [o = 0, n = 0] = b.counts;
    lines.push(`  ${label(b).padStart(width)} ${"▒".repeat(Math.round((o / top) * 40))} ${o}`);
    lines.push(`  ${" ".repeat(width)} ${"█".repeat(Math.round((n / top) * 40))} ${n}`);
  }
  return lines;
}
