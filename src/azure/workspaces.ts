import { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import { MIGRATED_FROM_TAG } from "../domain/plan.js";
import type { MigrationRecord } from "../domain/audit.js";
import { SESSION_TAG } from "../migration/service-run.js";
import { translate } from "./azure-error.js";

export { listSubscriptions, type SubscriptionSummary } from "./subscriptions.js";
import { clientOptions, type AzureConnection } from "./connection.js";
import { perConnection } from "./per-connection.js";
import { ModelManagementClient, type WorkspaceCoordinates } from "./model-management-client.js";

export interface WorkspaceSummary extends WorkspaceCoordinates {
  readonly location: string;
  readonly discoveryUrl: string;
}

/** The connection's Azure ML client of a subscription, made once. */
function machineLearning(conn: AzureConnection, subscriptionId: string): AzureMachineLearningWorkspaces {
  return perConnection(conn, `ml ${subscriptionId}`, () => new AzureMachineLearningWorkspaces(conn.credential, subscriptionId, clientOptions(conn)));
}

export function listWorkspaces(conn: AzureConnection, subscriptionId: string): Promise<WorkspaceSummary[]> {
  return translate("Workspaces_ListBySubscription", async () => {
    const client = machineLearning(conn, subscriptionId);
    const out: WorkspaceSummary[] = [];
    for await (const w of client.workspaces.listBySubscription()) {
      const resourceGroup = /\/resourceGroups\/([^/]+)\//i.exec(w.id ?? "")?.[1];
      if (!w.name || !resourceGroup || !w.discoveryUrl) continue;
      out.push({ subscriptionId, resourceGroup, workspace: w.name, location: w.location ?? "", discoveryUrl: w.discoveryUrl });
    }
    return out;
  });
}

/** Every v1 service of a workspace, in the model-management shape (expanded), through its discovery host. */
export function listV1Services(conn: AzureConnection, ws: WorkspaceSummary): Promise<Record<string, unknown>[]> {
  return translate("Services_ListQuery", async () => {
    const mms = await ModelManagementClient.forWorkspace(conn, ws.discoveryUrl);
    const out: Record<string, unknown>[] = [];
    for await (const s of mms.listServices(ws, { expand: true })) out.push(s);
    return out;
  });
}

/** One v1 service's definition (expanded), or undefined when the workspace has no service of that name. */
export function getV1Service(conn: AzureConnection, ws: WorkspaceSummary, name: string): Promise<Record<string, unknown> | undefined> {
  return translate("Services_QueryById", async () => {
    const mms = await ModelManagementClient.forWorkspace(conn, ws.discoveryUrl);
    try {
      return await mms.getService(ws, name);
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined;
      throw e;
    }
  });
}

/** Deletes a v1 service (retiring it after its migration). */
export function deleteV1Service(conn: AzureConnection, ws: WorkspaceSummary, name: string): Promise<void> {
  return translate("Services_Delete", async () => {
    const mms = await ModelManagementClient.forWorkspace(conn, ws.discoveryUrl);
    await mms.deleteService(ws, name);
  });
}

/**
 * Which v1 services of the workspace already have a managed endpoint migrated from them, read from Azure (the
 * `migrated-from` tag every migration sets), not from local sessions: service name → endpoint name.
 */
export async function listMigratedEndpoints(conn: AzureConnection, ws: WorkspaceSummary): Promise<Map<string, string>> {
  return new Map([...(await listMigrations(conn, ws))].map(([service, m]) => [service, m.endpoint]));
}

/** As listMigratedEndpoints, with the session that made each endpoint (its `aci-migrate-session` tag). */
export function listMigrations(conn: AzureConnection, ws: WorkspaceSummary): Promise<Map<string, MigrationRecord>> {
  return translate("OnlineEndpoints_List", async () => {
    const client = machineLearning(conn, ws.subscriptionId);
    const out = new Map<string, MigrationRecord>();
    for await (const e of client.onlineEndpoints.list(ws.resourceGroup, ws.workspace)) {
      const from = e.tags?.[MIGRATED_FROM_TAG];
      const sessionId = e.tags?.[SESSION_TAG];
      const traffic = Object.values(e.properties?.traffic ?? {}).reduce((sum, share) => sum + share, 0);
      if (from && e.name) out.set(from, { endpoint: e.name, ...(sessionId ? { sessionId } : {}), serving: traffic >= 100 });
    }
    return out;
  });
}
