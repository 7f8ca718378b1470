import { stringify } from "csv-stringify/sync";
import type { AuditReport } from "../domain/audit.js";
import { AUDIT_COLUMNS, totalsText, usd } from "./audit-columns.js";
import { markdownCell } from "./text-escapes.js";
import { auditHtml } from "./audit-html.js";

/** The audit as the four files `audit --out` writes, by name. */
export function auditFiles(report: AuditReport): Record<"audit.html" | "audit.md" | "audit.csv" | "audit.json", string> {
  return {
    "audit.html": auditHtml(report),
    "audit.md": auditMarkdown(report),
    "audit.csv": stringify([AUDIT_COLUMNS.map((c) => c.key), ...report.rows.map((r) => AUDIT_COLUMNS.map((c) => c.value(r) ?? ""))]),
    "audit.json": `${JSON.stringify({ schemaVersion: 1, ...report }, null, 2)}\n`,
  };
}

const cell = (v: string | number | null) => markdownCell(String(v ?? ""));

function auditMarkdown(r: AuditReport): string {
  const table = (head: readonly string[], rows: readonly (readonly (string | number | null)[])[]) =>
    [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((x) => `| ${x.map(cell).join(" | ")} |`)].join("\n");
  return `# v1 web services: audit

${r.generatedAt}. ${totalsText(r.totals)}.

## By workspace

${table(
  ["Subscription", "Workspace", "Services", "Ready", "To acknowledge", "Blocked", "Migrated", "ACI $/month", "After $/month"],
  r.workspaces.map((w) => [
    w.subscription,
    w.workspace,
    w.totals.services,
    w.totals.ready,
    w.totals.toAcknowledge,
    w.totals.blocked,
    w.totals.migrated,
    usd(w.totals.aciMonthlyUsd),
    usd(w.totals.managedMonthlyUsd),
  ]),
)}

## Blockers by kind

${
  r.blockersByKind.length
    ? table(
        ["Blocker", "Services"],
        r.blockersByKind.map((b) => [b.id, b.services]),
      )
    : "None."
}
${
  r.unreadable.length
    ? `\n## Workspaces that could not be read\n\n${table(
        ["Subscription", "Workspace", "Why"],
        r.unreadable.map((u) => [u.subscription, u.workspace, u.error]),
      )}\n`
    : ""
}
## Services

${table(
  AUDIT_COLUMNS.map((c) => c.title),
  r.rows.map((row) => AUDIT_COLUMNS.map((c) => c.value(row))),
)}
`;
}
