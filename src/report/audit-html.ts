import { READINESS, type AuditReport, type Readiness } from "../domain/audit.js";
import { AUDIT_COLUMNS, totalsText } from "./audit-columns.js";
import { escapeHtml as escape } from "./text-escapes.js";

const COLOURS: Record<Readiness, string> = { ready: "#2e7d32", "to-acknowledge": "#c77c02", blocked: "#b3261e", migrated: "#2f6fb3" };
const LABELS: Record<Readiness, string> = { ready: "ready", "to-acknowledge": "to acknowledge", blocked: "blocked", migrated: "migrated" };

/**
 * The audit as one self-contained page for a fleet's decision: readiness, cost before and after per workspace and
 * blockers by kind as inline SVG charts, then every service in a table that sorts (click a heading) and filters
 * (type in the box). No request leaves the file: it opens from a disk or an e-mail anywhere.
 */
export function auditHtml(r: AuditReport): string {
  const head = AUDIT_COLUMNS.map((c, i) => `<th data-col="${i}" title="Sort by ${escape(c.title)}">${escape(c.title)}</th>`).join("");
  const rows = r.rows
    .map(
      (row) =>
        `<tr class="${row.readiness}">${AUDIT_COLUMNS.map((c) => {
          const v = c.value(row);
          return `<td${typeof v === "number" ? ` data-n="${v}"` : ""}>${escape(v === null ? "" : typeof v === "number" ? v.toFixed(2) : v)}</td>`;
        }).join("")}</tr>`,
    )
    .join("\n");
  const unreadable = r.unreadable.length
    ? `<h2>Workspaces that could not be read</h2><ul>${r.unreadable.map((u) => `<li>${escape(`${u.subscription} / ${u.workspace}: ${u.error}`)}</li>`).join("")}</ul>`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>v1 web services: audit</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem; color: #1b1b1b; }
.charts { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
figure { margin: 0; } figcaption { color: #555; font-size: 13px; }
svg text { font: 12px system-ui, sans-serif; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 13px; } th, td { border: 1px solid #ccc; padding: .2rem .5rem; text-align: left; }
th[data-col] { cursor: pointer; background: #f3f3f3; } th[aria-sort] { background: #dde8f5; }
td[data-n] { text-align: right; }
${READINESS.map((k) => `tr.${k} td:nth-child(9) { color: ${COLOURS[k]}; font-weight: 600; }`).join("\n")}
input { font: inherit; padding: .3rem .5rem; width: 24rem; }
</style>
</head>
<body>
<h1>v1 web services: audit</h1>
<p>${escape(r.generatedAt)}. <strong>${escape(totalsText(r.totals))}.</strong></p>
<div class="charts">
${readinessChart(r)}
${costChart(r)}
${blockersChart(r)}
</div>
${unreadable}
<h2>Services</h2>
<p><label>Filter: <input id="filter" type="search" placeholder="a name, a workspace, a blocker, ready…"></label> <span id="shown">${r.rows.length} of ${r.rows.length}</span></p>
<table id="services"><thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody></table>
<script>
(() => {
  const table = document.getElementById("services");
  const body = table.tBodies[0];
  const all = [...body.rows];
  const filter = document.getElementById("filter");
  const shown = document.getElementById("shown");
  filter.addEventListener("input", () => {
    const words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
    let n = 0;
    for (const row of all) {
      const text = row.textContent.toLowerCase();
      const keep = words.every((w) => text.includes(w));
      row.hidden = !keep;
      if (keep) n++;
    }
    shown.textContent = n + " of " + all.length;
  });
  for (const th of table.tHead.rows[0].cells) {
    th.addEventListener("click", () => {
      const col = Number(th.dataset.col);
      const down = th.getAttribute("aria-sort") === "ascending";
      for (const other of table.tHead.rows[0].cells) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", down ? "descending" : "ascending");
      const key = (row) => {
        const c = row.cells[col];
        return c.dataset.n !== undefined ? Number(c.dataset.n) : c.textContent.toLowerCase();
      };
      const sorted = [...body.rows].sort((a, b) => {
        const [x, y] = [key(a), key(b)];
        const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
        return down ? -order : order;
      });
      body.append(...sorted);
    });
  }
})();
</script>
</body>
</html>
`;
}

/** One bar split by readiness, with the count of each. */
function readinessChart(r: AuditReport): string {
  const [w, h] = [360, 40 + READINESS.length * 18];
  const total = Math.max(1, r.rows.length);
  const counts: Record<Readiness, number> = {
    ready: r.totals.ready,
    "to-acknowledge": r.totals.toAcknowledge,
    blocked: r.totals.blocked,
    migrated: r.totals.migrated,
  };
  let x = 0;
  const parts = READINESS.map((k, i) => {
    const width = (w * counts[k]) / total;
    const rect = `<rect x="${x.toFixed(1)}" y="0" width="${width.toFixed(1)}" height="28" fill="${COLOURS[k]}"><title>${LABELS[k]}: ${counts[k]}</title></rect>`;
    x += width;
    return `${rect}<rect x="0" y="${38 + i * 18}" width="10" height="10" fill="${COLOURS[k]}"/><text x="14" y="${47 + i * 18}">${LABELS[k]}: ${counts[k]}</text>`;
  }).join("");
  return figure("Readiness of every service", w, h, parts, "Readiness: migrated, ready, to acknowledge, blocked.");
}

/** Per workspace, what its services cost a month on ACI and after the migration, side by side. */
function costChart(r: AuditReport): string {
  const rowH = 26;
  const [w, label] = [480, 140];
  const h = Math.max(1, r.workspaces.length) * rowH + 24;
  const top = Math.max(1, ...r.workspaces.flatMap((x) => [x.totals.aciMonthlyUsd, x.totals.managedMonthlyUsd]));
  const len = (n: number) => ((w - label - 120) * n) / top;
  const bars = r.workspaces
    .map((x, i) => {
      const y = i * rowH;
      const [before, after] = [x.totals.aciMonthlyUsd, x.totals.managedMonthlyUsd];
      return (
        `<text x="0" y="${y + 15}">${escape(x.workspace)}</text>` +
        `<rect x="${label}" y="${y + 2}" width="${len(before).toFixed(1)}" height="10" fill="#8a8a8a"><title>${escape(x.workspace)} on ACI: $${before.toFixed(2)}/month</title></rect>` +
        `<rect x="${label}" y="${y + 13}" width="${len(after).toFixed(1)}" height="10" fill="#2f6fb3"><title>${escape(x.workspace)} after: $${after.toFixed(2)}/month</title></rect>` +
        `<text x="${(label + Math.max(len(before), len(after)) + 4).toFixed(1)}" y="${y + 16}">$${Math.round(before)} → $${Math.round(after)}</text>`
      );
    })
    .join("");
  const legend = `<rect x="0" y="${h - 12}" width="10" height="10" fill="#8a8a8a"/><text x="14" y="${h - 3}">ACI today</text><rect x="90" y="${h - 12}" width="10" height="10" fill="#2f6fb3"/><text x="104" y="${h - 3}">after (managed)</text>`;
  return figure(
    "Monthly cost per workspace, before and after",
    w,
    h,
    bars + legend,
    "Monthly cost per workspace (indicative list prices): ACI today, and after.",
  );
}

/** How many services each kind of blocker holds back (migrated ones left out). */
function blockersChart(r: AuditReport): string {
  const rowH = 20;
  const [w, label] = [420, 230];
  const kinds = r.blockersByKind;
  const h = Math.max(1, kinds.length) * rowH + 4;
  const top = Math.max(1, ...kinds.map((k) => k.services));
  const bars = kinds.length
    ? kinds
        .map((k, i) => {
          const width = ((w - label - 30) * k.services) / top;
          return `<text x="0" y="${i * rowH + 14}">${escape(k.id)}</text><rect x="${label}" y="${i * rowH + 4}" width="${width.toFixed(1)}" height="12" fill="#b3261e"><title>${escape(k.id)}: ${k.services} services</title></rect><text x="${(label + width + 4).toFixed(1)}" y="${i * rowH + 14}">${k.services}</text>`;
        })
        .join("")
    : `<text x="0" y="14">No service is blocked.</text>`;
  return figure("Blockers by kind", w, h, bars, "Services held back by each kind of blocker.");
}

function figure(label: string, w: number, h: number, body: string, caption: string): string {
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escape(label)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${body}</svg><figcaption>${escape(caption)}</figcaption></figure>`;
}
