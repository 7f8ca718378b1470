import { parseServiceJson } from "./parse-service-json.js";
import { buildPlan, mustChange, type ScriptScan } from "./plan.js";

/**
 * Where a v1 service stands for a fleet's decision: migrated (Azure's tags say so), ready (no blocker), to
 * acknowledge (blockers a person may accept), or blocked (one Azure would refuse, or not an ACI service).
 */
export type Readiness = "ready" | "to-acknowledge" | "blocked" | "migrated";
export const READINESS: readonly Readiness[] = ["ready", "to-acknowledge", "blocked", "migrated"];

/** The blocker an AKS (or other non-ACI) service has here: aci-migrate moves ACI services. */
export const NOT_ACI = "not-an-aci-service";

/** What Azure's tags say about a service's migration: the endpoint, and the session that made it. */
export interface MigrationRecord {
  readonly endpoint: string;
  readonly sessionId?: string;
  /** Its endpoint sends all its traffic to a deployment: the migration finished. */
  readonly serving?: boolean;
}

/** What the scoring-script check read (its v1 habits), or why it could not run. Absent: no code (image-based). */
export type ScriptCheck = ScriptScan | { readonly notChecked: string };

export interface AuditWorkspace {
  readonly subscriptionId: string;
  readonly subscription: string;
  readonly resourceGroup: string;
  readonly workspace: string;
  readonly location: string;
}

export interface AuditRow extends AuditWorkspace {
  readonly service: string;
  readonly computeType: string;
  readonly state: string;
  readonly cpu: number | null;
  readonly memoryGb: number | null;
  readonly suggestedSku: string | null;
  readonly readiness: Readiness;
  readonly findings: { readonly blocker: number; readonly warning: number; readonly info: number };
  readonly blockers: readonly string[];
  readonly script: string;
  readonly aciMonthlyUsd: number | null;
  readonly managedMonthlyUsd: number | null;
  readonly migratedTo: string | null;
  /** When, from the session id that made the endpoint (its first 15 characters are the UTC time). */
  readonly migratedAt: string | null;
  readonly migratedBy: string | null;
}

export interface AuditTotals {
  readonly services: number;
  readonly ready: number;
  readonly toAcknowledge: number;
  readonly blocked: number;
  readonly migrated: number;
  readonly aciMonthlyUsd: number;
  readonly managedMonthlyUsd: number;
}

export interface AuditReport {
  readonly generatedAt: string;
  readonly rows: readonly AuditRow[];
  readonly workspaces: readonly (AuditWorkspace & { readonly totals: AuditTotals })[];
  readonly subscriptions: readonly { readonly subscriptionId: string; readonly subscription: string; readonly totals: AuditTotals }[];
  readonly totals: AuditTotals;
  readonly blockersByKind: readonly { readonly id: string; readonly services: number }[];
  /** Workspaces Azure would not list (403, private link), with why. */
  readonly unreadable: readonly (AuditWorkspace & { readonly error: string })[];
}

/** One service's row, from its model-management document, its migration (if any) and its script check. */
export function auditRow(ws: AuditWorkspace, doc: Record<string, unknown>, migration?: MigrationRecord, script?: ScriptCheck): AuditRow {
  const computeType = String(doc.computeType ?? "UNKNOWN").toUpperCase();
  const migrated = {
    migratedTo: migration?.endpoint ?? null,
    migratedAt: migration?.sessionId ? sessionTime(migration.sessionId) : null,
    migratedBy: migration?.sessionId ?? null,
  };
  const base = { ...ws, service: String(doc.name), computeType, state: String(doc.state ?? "") };
  if (computeType !== "ACI") {
    return {
      ...base,
      cpu: null,
      memoryGb: null,
      suggestedSku: null,
      readiness: migration ? "migrated" : "blocked",
      findings: { blocker: 1, warning: 0, info: 0 },
      blockers: [NOT_ACI],
      script: "not checked: not an ACI service",
      aciMonthlyUsd: null,
      managedMonthlyUsd: null,
      ...migrated,
    };
  }
  const service = parseServiceJson(doc, `${ws.workspace}/${base.service}`);
  const scan = script && "habits" in script ? script : undefined;
  const plan = buildPlan(service, {}, scan);
  const count = (severity: string) => plan.findings.filter((f) => f.severity === severity).length;
  const readiness: Readiness = migration ? "migrated" : !plan.blockers.length ? "ready" : plan.blockers.some(mustChange) ? "blocked" : "to-acknowledge";
  return {
    ...base,
    cpu: service.cpu,
    memoryGb: service.memoryGb,
    suggestedSku: plan.sku.name,
    readiness,
    findings: { blocker: count("blocker"), warning: count("warning"), info: count("info") },
    blockers: plan.blockers,
    script: scriptText(script, scan),
    aciMonthlyUsd: plan.cost?.aciMonthlyUsd ?? null,
    managedMonthlyUsd: plan.cost?.managedMonthlyUsd ?? null,
    ...migrated,
  };
}

function scriptText(script: ScriptCheck | undefined, scan: ScriptScan | undefined): string {
  if (scan)
    return scan.habits.length ? `${scan.habits.length} v1 habit${scan.habits.length === 1 ? "" : "s"}: ${scan.habits.map((h) => h.id).join(", ")}` : "clean";
  return script && "notChecked" in script ? `not checked: ${script.notChecked}` : "not checked: no scoring code (image-based)";
}

/** `20261207-230040-3ac8` → `2026-12-07T23:00:40Z`; null for an id of another shape. */
export function sessionTime(id: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-/.exec(id);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : null;
}

export function totalsOf(rows: readonly AuditRow[]): AuditTotals {
  const sum = (f: (r: AuditRow) => number | null) => Math.round(rows.reduce((s, r) => s + (f(r) ?? 0), 0) * 100) / 100;
  const count = (k: Readiness) => rows.filter((r) => r.readiness === k).length;
  return {
    services: rows.length,
    ready: count("ready"),
    toAcknowledge: count("to-acknowledge"),
    blocked: count("blocked"),
    migrated: count("migrated"),
    // What the fleet costs before and after: a migrated service already runs on its endpoint (after), an
    // unmigratable one stays on ACI (before and after alike).
    aciMonthlyUsd: sum((r) => r.aciMonthlyUsd),
    managedMonthlyUsd: sum((r) => r.managedMonthlyUsd ?? r.aciMonthlyUsd),
  };
}

/** The rows with their totals per workspace, per subscription and in all, and the blockers by kind. */
export function auditReport(rows: readonly AuditRow[], unreadable: AuditReport["unreadable"], generatedAt: string): AuditReport {
  const group = <K extends string>(key: (r: AuditRow) => K) => [...new Set(rows.map(key))].map((k) => rows.filter((r) => key(r) === k));
  const kinds = new Map<string, number>();
  for (const r of rows) if (r.readiness !== "migrated") for (const b of r.blockers) kinds.set(b, (kinds.get(b) ?? 0) + 1);
  return {
    generatedAt,
    rows,
    workspaces: group((r) => `${r.subscriptionId}/${r.resourceGroup}/${r.workspace}`).map((g) => {
      const { subscriptionId, subscription, resourceGroup, workspace, location } = g[0]!;
      return { subscriptionId, subscription, resourceGroup, workspace, location, totals: totalsOf(g) };
    }),
    subscriptions: group((r) => r.subscriptionId).map((g) => ({ subscriptionId: g[0]!.subscriptionId, subscription: g[0]!.subscription, totals: totalsOf(g) })),
    totals: totalsOf(rows),
    blockersByKind: [...kinds].map(([id, services]) => ({ id, services })).sort((a, b) => b.services - a.services || a.id.localeCompare(b.id)),
    unreadable,
  };
}
