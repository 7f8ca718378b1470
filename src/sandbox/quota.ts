import { findSku } from "../domain/sku-catalog.js";
import type { VmSku } from "../domain/sku-types.js";
import { HttpError } from "./http.js";
import { quotaNeed } from "../domain/quota.js";
import { sameName } from "./ids.js";
import type { SandboxWorld } from "./world.js";

/** vCPUs of `family` that the subscription's deployments in `location` hold (with the 20% reservation). */
export function currentUsage(world: SandboxWorld, subscriptionId: string, location: string, family: string, exceptDeployment?: string): number {
  let used = 0;
  for (const d of world.deployments) {
    if (!sameName(d.subscriptionId, subscriptionId) || d.location !== location) continue;
    if (exceptDeployment && `${d.workspace}/${d.endpoint}/${d.name}`.toLowerCase() === exceptDeployment) continue;
    const sku = findSku(String(d.properties.instanceType ?? ""));
    if (sku?.family === family) used += quotaNeed(sku, d.sku?.capacity ?? 1).cores;
  }
  return used;
}

export function quotaLimit(world: SandboxWorld, subscriptionId: string, location: string, family: string): number {
  return world.quotaLimits.find((q) => sameName(q.subscriptionId, subscriptionId) && q.location === location && q.family === family)?.limit ?? 0;
}

/**
 * Refuses, as Azure does synchronously (400 with the InferencingClient detail), a deployment whose instances
 * would take the family past its limit in the region; `exceptDeployment` is the one being changed.
 */
export function requireQuota(world: SandboxWorld, subscriptionId: string, location: string, sku: VmSku, capacity: number, exceptDeployment?: string): void {
  const need = quotaNeed(sku, capacity).cores;
  const used = currentUsage(world, subscriptionId, location, sku.family, exceptDeployment?.toLowerCase());
  const limit = quotaLimit(world, subscriptionId, location, sku.family);
  if (used + need <= limit) return;
  const detail = JSON.stringify({
    errors: {
      VmSize: [
        `Not enough quota available for ${sku.name} in SubscriptionId ${subscriptionId}. Current usage/limit: ${used}/${limit}. Additional needed: ${need} Please see troubleshooting guide, available here: https://aka.ms/oe-tsg#error-outofquota`,
      ],
    },
    type: "https://tools.ietf.org/html/rfc7231#section-6.5.1",
    title: "One or more validation errors occurred.",
    status: 400,
  });
  throw new HttpError(400, "BadRequest", "The request is invalid.", [
    { code: "InferencingClientCreateDeploymentFailed", message: `InferencingClient HttpRequest error, error detail: ${detail}` },
  ]);
}
