import { findSku } from "../domain/sku-catalog.js";
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
