import { suggestEndpointName } from "../domain/names.js";
import { MIGRATED_FROM_TAG } from "../domain/plan.js";
import type { MigrationPort, WorkspaceTarget } from "./port.js";

/**
 * Whether an endpoint name can be used for a service's migration: `free`, `ours` (an endpoint an earlier run made
 * for this very service, which the engine reuses) or `taken` (by another endpoint in the workspace, or anywhere
 * in the region, since managed endpoint names are unique per region).
 */
export async function checkEndpointName(port: MigrationPort, ws: WorkspaceTarget, name: string, serviceName: string): Promise<"free" | "ours" | "taken"> {
  const existing = await port.getEndpoint(ws, name);
  if (existing) return existing.tags[MIGRATED_FROM_TAG] === serviceName ? "ours" : "taken";
  return (await port.isEndpointNameTaken(ws.location, name)) ? "taken" : "free";
}

/**
 * A free endpoint name for the service when the planned one is taken: the names the plan would suggest next
 * (`…-online-2`, `…-online-3`, …), the first the region does not hold; undefined when the first few are all taken.
 */
export async function freeEndpointName(port: MigrationPort, ws: WorkspaceTarget, serviceName: string): Promise<string | undefined> {
  for (let attempt = 1; attempt <= 8; attempt++) {
    const name = suggestEndpointName(serviceName, attempt);
    if ((await checkEndpointName(port, ws, name, serviceName)) !== "taken") return name;
  }
  return undefined;
}
