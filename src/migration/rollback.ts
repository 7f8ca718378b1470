import type { PublicNetworkAccess } from "../domain/network-access.js";
import type { SessionFile } from "../session/session-file.js";
import type { AssetKind, MigrationPort, WorkspaceTarget } from "./port.js";
import { SESSION_TAG } from "./service-run.js";
import { KEEP_OLD_TAG } from "./steps/cutover.js";

/** One resource a rollback would delete, or keeps, and why. */
export interface RollbackItem {
  readonly kind: "endpoint" | "deployment" | AssetKind;
  readonly name: string;
  /** A deployment's endpoint, and the kept deployment its traffic goes back to before it is deleted. */
  readonly endpoint?: string;
  readonly restoreTo?: string;
  readonly version?: string;
  readonly service: string;
  /** What it holds or why it is kept, for people. */
  readonly note: string;
}

export interface RollbackPlan {
  readonly sessionId: string;
  readonly ws: WorkspaceTarget;
  readonly remove: readonly RollbackItem[];
  readonly keep: readonly RollbackItem[];
  /** What deleting would break beyond itself: a retired v1 service whose endpoint goes leaves its callers nothing. */
  readonly warnings: readonly string[];
}

/** `…/codes/NAME/versions/VERSION` (or models) → its name and version. */
function assetOf(id: string | undefined): { name: string; version: string } | undefined {
  const m = id ? /\/(?:codes|models|environments)\/([^/]+)\/versions\/([^/]+)$/i.exec(id) : null;
  return m ? { name: m[1]!, version: m[2]! } : undefined;
}

/**
 * What undoing a session would delete, read from Azure: each endpoint the session's services planned, when its
 * `aci-migrate-session` tag names this session (its deployments go with it), and the code and model versions
 * the journal recorded, when they carry the tag too and no deployment outside those endpoints uses them. What
 * another session made, or what others still use, is kept. The v1 services are never part of it.
 */
export async function planRollback(port: MigrationPort, session: SessionFile): Promise<RollbackPlan> {
  // Where the session made its endpoints and assets: the services' workspace, or the one they went into.
  const { subscriptionId, resourceGroup, workspace, location } = session.target.into ?? session.target;
  const ws: WorkspaceTarget = { subscriptionId, resourceGroup, workspace, location };
  const remove: RollbackItem[] = [];
  const keep: RollbackItem[] = [];
  const endpoints = await port.listEndpoints(ws);
  const removed = new Set<string>();
  for (const s of session.services) {
    const e = endpoints.find((x) => x.name.toLowerCase() === s.plan.endpointName.toLowerCase());
    if (!e) continue;
    if (e.tags[SESSION_TAG] !== session.id) {
      const back = s.keptOld ? await switchBack(port, ws, session.id, e.name, s.plan.deploymentName, s.keptOld.deployment) : undefined;
      if (back)
        remove.push({
          kind: "deployment",
          name: back.made,
          endpoint: e.name,
          restoreTo: back.kept,
          service: s.name,
          note: `made by this session; the traffic goes back to ${back.kept} first`,
        });
      keep.push({
        kind: "endpoint",
        name: e.name,
        service: s.name,
        note: e.tags[SESSION_TAG] ? `made by session ${e.tags[SESSION_TAG]}` : "not made by aci-migrate",
      });
      continue;
    }
    const deployments = await port.listDeployments(ws, e.name);
    removed.add(e.name.toLowerCase());
    remove.push({
      kind: "endpoint",
      name: e.name,
      service: s.name,
      note: deployments.length ? `with its deployment${deployments.length > 1 ? "s" : ""} ${deployments.map((d) => d.name).join(", ")}` : "no deployments",
    });
  }
  // A content-addressed version may serve other deployments (another session reused it): those stay.
  const inUse = new Set<string>();
  for (const e of endpoints.filter((x) => !removed.has(x.name.toLowerCase()))) {
    for (const d of await port.listDeployments(ws, e.name)) for (const id of [d.codeId, d.modelId, d.environmentId]) if (id) inUse.add(id.toLowerCase());
  }
  for (const s of session.services) {
    for (const [kind, id] of [
      ["code", s.resources.codeId],
      ["model", s.resources.modelId],
      ["environment", s.resources.environmentId],
    ] as const) {
      const asset = assetOf(id);
      if (!asset) continue;
      const found = await port.assetVersion(ws, kind, asset.name, asset.version);
      if (!found) continue;
      const item = { kind, name: asset.name, version: asset.version, service: s.name };
      const by = found.tags[SESSION_TAG];
      if (by !== session.id) keep.push({ ...item, note: by ? `registered by session ${by} (reused here)` : "there before this session (reused here)" });
      else if (inUse.has(found.id.toLowerCase())) keep.push({ ...item, note: "another deployment uses it" });
      else remove.push({ ...item, note: `${kind} version registered by this session` });
    }
  }
  const goes = new Set(remove.filter((i) => i.kind === "endpoint").map((i) => i.name.toLowerCase()));
  const warnings = session.services
    .filter((x) => x.retiredAt && goes.has(x.plan.endpointName.toLowerCase()))
    .map(
      (x) =>
        `${x.name}, the v1 service, was retired (${x.retiredAt!.slice(0, 10)}): with ${x.plan.endpointName} deleted, nothing serves its callers. Redeploy the v1 service first, or keep the endpoint.`,
    );
  return { sessionId: session.id, ws, remove, keep, warnings };
}

/** Deletes what the plan lists: endpoints first (their deployments with them), then the versions they used. */
export async function rollBack(
  port: MigrationPort,
  plan: RollbackPlan,
  o: { signal?: AbortSignal; onDeleted?: (item: RollbackItem) => void } = {},
): Promise<void> {
  const order = [...plan.remove].sort((a, b) => Number(isAsset(a)) - Number(isAsset(b)));
  for (const item of order) {
    if (item.kind === "endpoint") await port.deleteEndpoint(plan.ws, item.name, { signal: o.signal });
    else if (item.kind === "deployment") await restoreAndDelete(port, plan.ws, item, o.signal);
    else await port.deleteAssetVersion(plan.ws, item.kind, item.name, item.version!);
    o.onDeleted?.(item);
  }
}

/** An item as one line: `endpoint churn-online (with its deployment blue)`. */
export function rollbackLine(item: RollbackItem): string {
  return `${item.kind} ${item.name}${item.version ? `:${item.version}` : ""} (${item.note})`;
}

const isAsset = (item: RollbackItem) => item.kind === "code" || item.kind === "model";

/**
 * A switch in steps whose old deployment was kept: the new deployment this session made (its tag says so), when
 * the kept one is still there to take the traffic back.
 */
async function switchBack(
  port: MigrationPort,
  ws: WorkspaceTarget,
  sessionId: string,
  endpoint: string,
  planned: string,
  keptName: string,
): Promise<{ made: string; kept: string } | undefined> {
  const deployments = await port.listDeployments(ws, endpoint);
  const kept = deployments.find((d) => d.name.toLowerCase() === keptName.toLowerCase());
  const made = deployments.find((d) => d.name.toLowerCase() === planned.toLowerCase() && d.tags[SESSION_TAG] === sessionId);
  return kept && made ? { made: made.name, kept: kept.name } : undefined;
}

/** All the traffic back on the kept deployment (the endpoint as it is otherwise), then the new one deleted. */
async function restoreAndDelete(port: MigrationPort, ws: WorkspaceTarget, item: RollbackItem, signal?: AbortSignal): Promise<void> {
  const endpoint = await port.getEndpoint(ws, item.endpoint!);
  if (endpoint && (endpoint.traffic[item.restoreTo!] ?? 0) !== 100) {
    const { [KEEP_OLD_TAG]: _kept, ...tags } = endpoint.tags;
    await port.createOrUpdateEndpoint(
      ws,
      {
        name: endpoint.name,
        authMode: endpoint.authMode as "Key" | "AMLToken" | "AADToken",
        tags,
        description: `Rolled back to ${item.restoreTo} by aci-migrate.`,
        ...(endpoint.publicNetworkAccess ? { publicNetworkAccess: endpoint.publicNetworkAccess as PublicNetworkAccess } : {}),
        traffic: { ...Object.fromEntries(Object.keys(endpoint.traffic).map((n) => [n, 0])), [item.restoreTo!]: 100 },
      },
      { signal },
    );
  }
  await port.deleteDeployment(ws, item.endpoint!, item.name, { signal });
}
