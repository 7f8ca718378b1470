import type { AuditRow, AuditTotals } from "../domain/audit.js";

/** The columns of the audit's rows, in the order the CSV, the Markdown and the HTML table show them. */
export const AUDIT_COLUMNS: readonly { readonly key: string; readonly title: string; readonly value: (r: AuditRow) => string | number | null }[] = [
  { key: "subscription", title: "Subscription", value: (r) => r.subscription },
  { key: "resourceGroup", title: "Resource group", value: (r) => r.resourceGroup },
  { key: "workspace", title: "Workspace", value: (r) => r.workspace },
  { key: "service", title: "Service", value: (r) => r.service },
  { key: "computeType", title: "Compute", value: (r) => r.computeType },
  { key: "state", title: "State", value: (r) => r.state },
  { key: "size", title: "Size", value: (r) => (r.cpu === null ? null : `${r.cpu} CPU / ${r.memoryGb} GB`) },
  { key: "suggestedSku", title: "Suggested VM size", value: (r) => r.suggestedSku },
  { key: "readiness", title: "Readiness", value: (r) => r.readiness },
  { key: "blockers", title: "Blockers", value: (r) => r.blockers.join(" ") },
  { key: "findings", title: "Findings (blocker/warning/info)", value: (r) => `${r.findings.blocker}/${r.findings.warning}/${r.findings.info}` },
  { key: "script", title: "Script check", value: (r) => r.script },
  { key: "aciMonthlyUsd", title: "ACI $/month", value: (r) => r.aciMonthlyUsd },
  { key: "managedMonthlyUsd", title: "Managed $/month", value: (r) => r.managedMonthlyUsd },
  { key: "migratedTo", title: "Migrated to", value: (r) => r.migratedTo },
  { key: "migratedAt", title: "Migrated at", value: (r) => r.migratedAt },
  { key: "migratedBy", title: "Session", value: (r) => r.migratedBy },
];

export const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export function totalsText(t: AuditTotals): string {
  return `${t.services} services: ${t.ready} ready, ${t.toAcknowledge} to acknowledge, ${t.blocked} blocked, ${t.migrated} migrated · ${usd(t.aciMonthlyUsd)}/month on ACI, ${usd(t.managedMonthlyUsd)}/month after`;
}
