import type { HistogramBin } from "../domain/latency.js";
import { percent, type ReplayReport, type ReplaySample } from "../domain/replay-report.js";
import { replayHeadline, replaySettingsText, statusText } from "./replay-words.js";
import { escapeHtml as escape } from "./text-escapes.js";

const json = (v: unknown) => `<pre>${escape(JSON.stringify(v, null, 2) ?? "(absent)")}</pre>`;

/**
 * The replay's report as one self-contained HTML page: no script, no font or image from elsewhere, the latency
 * chart an inline SVG, so it opens from the disk anywhere (kept 0600: its examples hold requests and answers).
 */
export function replayHtml(r: ReplayReport, samples: readonly ReplaySample[], generatedAt: string): string {
  const { old, new: fresh } = r.latency;
  const rows = (["p50", "p95", "p99", "max", "mean"] as const).map((k) => `<tr><th>${k}</th><td>${old[k]} ms</td><td>${fresh[k]} ms</td></tr>`).join("");
  const disagreements = r.firstDisagreements
    .map((d) => {
      const s = samples.find((x) => x.index === d.index);
      const head = `<h3>Request ${d.index}: first differs at <code>${escape(d.path)}</code></h3>`;
      if (!s) return `${head}<p>Its answers were not kept: a replay keeps the first ones with differences, and none from a run before a resume.</p>`;
      const diffs = s.differences
        .slice(0, 10)
        .map(
          (x) =>
            `<li><code>${escape(x.path)}</code>: old <code>${escape(JSON.stringify(x.expected) ?? "absent")}</code>, new <code>${escape(JSON.stringify(x.actual) ?? "absent")}</code></li>`,
        )
        .join("");
      return `${head}<ul>${diffs}</ul><div class="pair"><div><h4>Old service (HTTP ${s.old.status})</h4>${json(s.old.body)}</div><div><h4>New deployment (HTTP ${s.new.status})</h4>${json(s.new.body)}</div></div><h4>Request</h4>${json(s.request)}`;
    })
    .join("");
  const noise = r.noise.fields.map((f) => `<tr><td><code>${escape(f.field)}</code></td><td>${percent(f.rate)}</td></tr>`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Replay of ${escape(r.service)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
table { border-collapse: collapse; margin: 1rem 0; } th, td { border: 1px solid #ccc; padding: .25rem .6rem; text-align: left; }
.pass { color: #116611; } .fail { color: #a00000; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
pre { background: #f5f5f5; padding: .5rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
svg text { font: 12px system-ui, sans-serif; }
</style>
</head>
<body>
<h1>Replay of ${escape(r.service)} against ${escape(r.endpoint)}/${escape(r.deployment)}</h1>
<p>${escape(generatedAt)}. ${r.requests} requests from ${escape(r.source)}.</p>
<p class="${r.verdict.passed ? "pass" : "fail"}"><strong>${r.verdict.passed ? "Passes" : "Does not pass"}: ${escape(replayHeadline(r))}.</strong></p>
${r.verdict.reasons.length ? `<ul>${r.verdict.reasons.map((x) => `<li>${escape(x)}.</li>`).join("")}</ul>` : ""}
<p>${escape(replaySettingsText(r))}</p>
<h2>Latency and errors</h2>
<table><tr><th></th><th>old service</th><th>new deployment</th></tr>${rows}
<tr><th>answers by status</th><td>${escape(statusText(r.statuses.old))}</td><td>${escape(statusText(r.statuses.new))}</td></tr></table>
<p>The new p95 is ${r.latency.p95Ratio}× the old.</p>
${latencyChart(r.histogram)}
<h2>Noise</h2>
${r.noise.sampled ? `<p>${r.noise.sampled} requests were sent twice to the old service.${noise ? " Its own answers differ in these fields, which are not counted as disagreements:" : " Its answers were the same each time."}</p>${noise ? `<table><tr><th>field</th><th>differs in</th></tr>${noise}</table>` : ""}` : "<p>No request was sent twice to the old service.</p>"}
<h2>Disagreements</h2>
${r.disagreed ? `<table><tr><th>field</th><th>requests</th></tr>${r.fields.map((f) => `<tr><td><code>${escape(f.field)}</code></td><td>${f.count}</td></tr>`).join("")}</table>${disagreements}` : "<p>None.</p>"}
</body>
</html>
`;
}

/** Grouped bars per latency bin, old and new side by side, as inline SVG. */
function latencyChart(bins: readonly HistogramBin[]): string {
  if (!bins.length) return "";
  const [w, h, pad] = [640, 220, 36];
  const top = Math.max(1, ...bins.flatMap((b) => b.counts));
  const slot = (w - pad * 2) / bins.length;
  const bar = Math.max(2, slot / 2 - 2);
  const y = (n: number) => h - pad - ((h - pad * 2) * n) / top;
  const bars = bins
    .map((b, i) => {
      const x = pad + i * slot;
      const [o = 0, n = 0] = b.counts;
      return (
        `<rect x="${x.toFixed(1)}" y="${y(o).toFixed(1)}" width="${bar.toFixed(1)}" height="${(h - pad - y(o)).toFixed(1)}" fill="#8a8a8a"><title>old: ${o} requests, ${b.from}–${b.to} ms</title></rect>` +
        `<rect x="${(x + bar + 1).toFixed(1)}" y="${y(n).toFixed(1)}" width="${bar.toFixed(1)}" height="${(h - pad - y(n)).toFixed(1)}" fill="#2f6fb3"><title>new: ${n} requests, ${b.from}–${b.to} ms</title></rect>` +
        `<text x="${x.toFixed(1)}" y="${h - pad + 14}">${b.from}</text>`
      );
    })
    .join("");
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Latency histogram of both sides" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">
<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#333"/><text x="${w - pad}" y="${h - 6}" text-anchor="end">ms</text>
<text x="4" y="${pad - 8}">${top} requests</text>${bars}
<rect x="${w - 190}" y="8" width="10" height="10" fill="#8a8a8a"/><text x="${w - 175}" y="17">old service</text>
<rect x="${w - 100}" y="8" width="10" height="10" fill="#2f6fb3"/><text x="${w - 85}" y="17">new</text>
</svg><figcaption>Requests per latency bin (ms), old and new side by side.</figcaption></figure>`;
}
