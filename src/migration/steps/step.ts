import type { PublicNetworkAccess } from "../../domain/network-access.js";
import type { MigrationPlan } from "../../domain/plan.js";
import type { ServiceRun } from "../service-run.js";

/** What a step reports when it ends: `skipped` when reconciling found nothing to do. */
export interface StepOutcome {
  readonly outcome: "done" | "skipped";
  readonly detail: string;
}

export type Step = (run: ServiceRun) => Promise<StepOutcome>;

export const count = (n: number, what: string) => `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;
export const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;

/** Whether Azure is still working on a resource (an earlier run's operation to attach to, never to PUT over). */
export function isProvisioning(state: string): boolean {
  return state === "Creating" || state === "Updating";
}

export function describeMigration(run: ServiceRun): string {
  return `Migrated from the ACI web service ${run.entry.name} by aci-migrate.`;
}

/**
 * The network access every PUT of the endpoint carries (a PUT replaces what it leaves out): the plan's, or, for a
 * session planned before plans said, what the endpoint has.
 */
export function accessOf(plan: MigrationPlan, existing: string | undefined): PublicNetworkAccess | undefined {
  return plan.publicNetworkAccess ?? (existing === "Disabled" || existing === "Enabled" ? existing : undefined);
}
