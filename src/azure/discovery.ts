import pLimit from "p-limit";
import { listMigratedEndpoints, listSubscriptions, listV1Services, listWorkspaces, type SubscriptionSummary, type WorkspaceSummary } from "./workspaces.js";
import type { AzureConnection } from "./connection.js";

/**
 * How many discovery requests are in flight at once. ARM's read throttle is a bucket per caller (250 requests,
 * refilled at 25 a second), so 32 at a time keeps well inside it; a 429 closes the connection's gate for its
 * Retry-After (connection.ts) and the whole pool waits, instead of one workspace failing.
 */
export const DISCOVERY_CONCURRENCY = 32;

export interface DiscoveryFilter {
  readonly subscription?: string;
  readonly resourceGroup?: string;
  readonly workspace?: string;
}

/** One workspace's listing: its v1 services and the endpoints migrated from them, or why it could not be listed. */
export type WorkspaceListing =
  | { readonly ws: WorkspaceSummary; readonly services: Record<string, unknown>[]; readonly migrated: ReadonlyMap<string, string> }
  | { readonly ws: WorkspaceSummary; readonly error: unknown };

export interface SubscriptionListing {
  readonly subscription: SubscriptionSummary;
  readonly workspaces: WorkspaceListing[];
}

/**
 * Every v1 service the filters leave, listed as a pipeline: a subscription's workspaces are asked for as soon as
 * the subscriptions are known, and each workspace's services as soon as its subscription answers, all through one
 * bounded pool; nothing waits for a whole wave to finish. A workspace that refuses (403, private link) is reported
 * in its place. The result keeps Azure's order of subscriptions and workspaces.
 */
export async function discoverServices(conn: AzureConnection, filter: DiscoveryFilter = {}, o: { concurrency?: number } = {}): Promise<SubscriptionListing[]> {
  const limit = pLimit(o.concurrency ?? DISCOVERY_CONCURRENCY);
  const subscriptions = (await listSubscriptions(conn)).filter((s) => !filter.subscription || s.subscriptionId === filter.subscription);
  const wanted = (w: WorkspaceSummary) =>
    (!filter.workspace || w.workspace === filter.workspace) && (!filter.resourceGroup || w.resourceGroup.toLowerCase() === filter.resourceGroup.toLowerCase());
  return Promise.all(
    subscriptions.map(async (subscription) => {
      const workspaces = (await limit(() => listWorkspaces(conn, subscription.subscriptionId))).filter(wanted);
      const listings = await Promise.all(
        workspaces.map((ws) =>
          limit(async (): Promise<WorkspaceListing> => {
            try {
              const [services, migrated] = await Promise.all([
                listV1Services(conn, ws),
                listMigratedEndpoints(conn, ws).catch(() => new Map<string, string>()),
              ]);
              return { ws, services, migrated };
            } catch (error) {
              return { ws, error };
            }
          }),
        ),
      );
      return { subscription, workspaces: listings };
    }),
  );
}
