import { parseServiceJson } from "../domain/parse-service-json.js";
import { buildPlan } from "../domain/plan.js";
import type { V1Service } from "../domain/v1-service.js";

/** One row of the services list; AKS and unhealthy services are listed but cannot be chosen. */
export interface ServiceRow {
  readonly name: string;
  readonly doc: Record<string, unknown>;
  readonly service?: V1Service;
  readonly computeType: string;
  readonly state: string;
  readonly created?: string;
  readonly notSelectable?: string;
  /** What its plan (as suggested) says: how many findings, and the blockers among them. */
  readonly standing?: { readonly findings: number; readonly blockers: readonly string[] };
  /** The managed endpoint already migrated from it (read from Azure's `migrated-from` tags). */
  readonly migratedTo?: string;
}

/** Where a service stands, in a few words: its findings and blockers, and whether it was migrated already. */
export function standingText(r: Pick<ServiceRow, "standing" | "migratedTo">): string {
  const parts = [
    ...(r.standing ? [`${r.standing.findings} finding${r.standing.findings === 1 ? "" : "s"}`] : []),
    ...(r.standing?.blockers.length
      ? [`${r.standing.blockers.length} blocker${r.standing.blockers.length === 1 ? "" : "s"} (${r.standing.blockers.join(", ")})`]
      : []),
    ...(r.migratedTo ? [`already migrated → ${r.migratedTo}`] : []),
  ];
  return parts.join(" · ");
}

/** A v1 service as the services screen lists it; why it cannot be chosen when it cannot. */
export function toServiceRow(doc: Record<string, unknown>, workspace: string, migrated: ReadonlyMap<string, string> = new Map()): ServiceRow {
  const name = String(doc.name ?? doc.id ?? "");
  const computeType = String(doc.computeType ?? "UNKNOWN");
  const state = String(doc.state ?? "Unknown");
  const created = typeof doc.createdTime === "string" ? doc.createdTime : undefined;
  if (computeType.toUpperCase() !== "ACI")
    return { name, doc, computeType, state, created, notSelectable: `runs on ${computeType}; only ACI services are migrated by this tool` };
  let service;
  try {
    service = parseServiceJson(doc, `${workspace}/${name}`);
  } catch (e) {
    return { name, doc, computeType, state, created, notSelectable: `its definition cannot be read: ${(e as Error).message.split("\n")[0]}` };
  }
  const row = { name, doc, service, computeType, state, created };
  if (state !== "Healthy") return { ...row, notSelectable: `it is ${state}; fix or redeploy it on ACI first, so there is a working service to compare with` };
  const plan = buildPlan(service);
  return { ...row, standing: { findings: plan.findings.length, blockers: plan.blockers }, ...(migrated.has(name) ? { migratedTo: migrated.get(name)! } : {}) };
}
