import pLimit from "p-limit";
import { auditReport, auditRow, type AuditReport, type AuditRow, type AuditWorkspace, type ScriptCheck } from "../domain/audit.js";
import { parseServiceJson } from "../domain/parse-service-json.js";
import { isImageBased } from "../domain/v1-service.js";
import type { JourneyBackend, WorkspaceChoice } from "./backend.js";
import { checkDraftScript } from "./draft.js";

export interface FleetFilter {
  readonly subscription?: string;
  readonly resourceGroup?: string;
  readonly workspace?: string;
}

/** How far the reading is: workspaces listed and scoring scripts checked, each of how many known so far. */
export interface FleetProgress {
  readonly workspaces: { readonly done: number; readonly total: number };
  readonly scripts: { readonly done: number; readonly total: number };
}

/** Workspaces and scripts read at once: ARM's read bucket and the storage downloads both stay well inside their limits. */
const AT_ONCE = 8;

/**
 * Every v1 web service the account can see (the filters narrow it), each with its plan's verdict, its scoring
 * script's check and its migration as Azure's tags record it, as an audit report. A workspace that refuses its
 * list is reported in its place; a script that cannot be read says why in its row.
 */
export async function readFleet(backend: JourneyBackend, filter: FleetFilter, onProgress?: (p: FleetProgress) => void): Promise<AuditReport> {
  const limit = pLimit(AT_ONCE);
  const progress = { workspaces: { done: 0, total: 0 }, scripts: { done: 0, total: 0 } };
  const tell = () => onProgress?.({ workspaces: { ...progress.workspaces }, scripts: { ...progress.scripts } });
  const subscriptions = (await backend.listSubscriptions()).filter((s) => !filter.subscription || s.subscriptionId === filter.subscription);
  const wanted = (w: WorkspaceChoice) =>
    (!filter.workspace || w.workspace === filter.workspace) && (!filter.resourceGroup || w.resourceGroup.toLowerCase() === filter.resourceGroup.toLowerCase());
  const rows: AuditRow[] = [];
  const unreadable: (AuditWorkspace & { error: string })[] = [];
  await Promise.all(
    subscriptions.map(async (sub) => {
      const workspaces = (await limit(() => backend.listWorkspaces(sub.subscriptionId))).filter(wanted);
      progress.workspaces.total += workspaces.length;
      tell();
      await Promise.all(
        workspaces.map(async (ws) => {
          const where: AuditWorkspace = {
            subscriptionId: sub.subscriptionId,
            subscription: sub.displayName,
            resourceGroup: ws.resourceGroup,
            workspace: ws.workspace,
            location: ws.location,
          };
          const listed = await limit(() => Promise.all([backend.listServices(ws), backend.listMigrations(ws).catch(() => new Map())])).catch(
            (e: unknown) => e as Error,
          );
          progress.workspaces.done++;
          if (listed instanceof Error) {
            unreadable.push({ ...where, error: listed.message.split("\n")[0]! });
            return tell();
          }
          const [docs, migrations] = listed;
          progress.scripts.total += docs.length;
          tell();
          await Promise.all(
            docs.map(async (doc) => {
              const script = await limit(() => checkScript(backend, ws, doc));
              progress.scripts.done++;
              tell();
              rows.push(auditRow(where, doc, migrations.get(String(doc.name)), script));
            }),
          );
        }),
      );
    }),
  );
  const order = (r: AuditRow) => `${r.subscription}\u0000${r.resourceGroup}\u0000${r.workspace}\u0000${r.service}`;
  rows.sort((a, b) => order(a).localeCompare(order(b)));
  return auditReport(rows, unreadable, new Date().toISOString());
}

/** The scoring script's check of an ACI service (its v1 snapshot), or why it could not be done. */
async function checkScript(backend: JourneyBackend, ws: WorkspaceChoice, doc: Record<string, unknown>): Promise<ScriptCheck | undefined> {
  if (String(doc.computeType ?? "").toUpperCase() !== "ACI") return { notChecked: "not an ACI service" };
  try {
    const service = parseServiceJson(doc, `${ws.workspace}/${String(doc.name)}`);
    if (isImageBased(service)) return undefined;
    return (await checkDraftScript({ port: backend.port, ws }, service, doc)) ?? { notChecked: "its source snapshot could not be read" };
  } catch (e) {
    return { notChecked: `could not be read: ${(e as Error).message.split("\n")[0]}` };
  }
}
