import type { PlanOverrides } from "../domain/plan.js";
import { HOURS_PER_MONTH } from "../domain/sku-catalog.js";
import { familiesFittingAll } from "../domain/suggest-sku.js";
import type { V1Service } from "../domain/v1-service.js";
import { withOverrides, type Draft } from "./draft.js";
import { askField } from "./edit-plan.js";
import { BACK, type Prompter } from "./prompter.js";
import { usd } from "./text/text.js";

/** One change made to every selected service at once: what it is (for the scrollback) and each service's part of it. */
export interface SharedChange {
  readonly text: string;
  readonly overridesFor: (service: V1Service) => PlanOverrides;
}

/**
 * "Change every selected service": the instance count, a VM size family (each service gets that family's
 * cheapest size that fits it) or the request timeout, asked once for all of them. Undefined: nothing changed.
 */
export async function askSharedChange(ask: Prompter, current: Draft, services: readonly V1Service[]): Promise<SharedChange | undefined> {
  const what = await ask.selectOrBack(`Change what for all ${services.length} services?`, [
    { value: "instanceCount" as const, name: "Instances", description: "The same count for each (3 or more for production)." },
    { value: "family" as const, name: "VM size family", description: "Each gets the family's cheapest size that fits it." },
    { value: "requestTimeoutMs" as const, name: "Request timeout", description: "The same timeout for each." },
  ]);
  if (what === BACK) return undefined;
  if (what === "family") return askFamily(ask, current, services);
  const change = await askField(ask, what, current.plan);
  const text =
    what === "instanceCount"
      ? `${change.instanceCount} instance${change.instanceCount === 1 ? "" : "s"}`
      : `a request timeout of ${change.requestTimeoutMs! / 1000} s`;
  return { text, overridesFor: () => change };
}

/** The families with a size for every service, cheapest in all first, each with what it costs a month for all. */
async function askFamily(ask: Prompter, current: Draft, services: readonly V1Service[]): Promise<SharedChange | undefined> {
  const families = familiesFittingAll(services).slice(0, 10);
  if (!families.length) {
    ask.say(`No VM size family has a size for each of ${services.map((s) => s.name).join(", ")}; change their sizes one by one.`);
    return undefined;
  }
  const instances = current.plan.instanceCount;
  const picked = await ask.selectOrBack(
    `VM size family for all ${services.length} services (the cheapest size of it that fits each):`,
    families.map(({ family, sizes }) => ({
      value: family,
      name: `${family}: ${[...new Set(sizes.map((s) => s.name))].join(", ")} · ${usd(sizes.reduce((sum, s) => sum + s.usdPerHour! * HOURS_PER_MONTH * instances, 0))}/month for all at ${instances} instance${instances === 1 ? "" : "s"} each`,
    })),
  );
  if (picked === BACK) return undefined;
  const sizes = families.find((f) => f.family === picked)!.sizes;
  const byService = new Map(services.map((s, i) => [s.name, sizes[i]!.name]));
  return {
    text: `the ${picked} VM size family (${services.map((s) => `${s.name} on ${byService.get(s.name)}`).join(", ")})`,
    overridesFor: (service) => ({ sku: byService.get(service.name) }),
  };
}

/** The draft with the changes made to every service, in the order they were made. */
export function withSharedChanges(draft: Draft, changes: readonly SharedChange[]): Draft {
  if (!changes.length) return draft;
  return withOverrides(draft, Object.assign({ ...draft.overrides }, ...changes.map((c) => c.overridesFor(draft.service))) as PlanOverrides);
}
