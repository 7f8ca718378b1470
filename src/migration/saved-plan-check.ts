import { UserFixableError } from "../domain/errors.js";
import { driftLines, serviceDrift, serviceFingerprint } from "../domain/saved-plan.js";
import type { ServiceRun } from "./service-run.js";

/**
 * A service applied from a saved plan (`migrate --plan`) must still be the v1 service the plan was made from, at
 * every start of its preflight (a resume too): a change since is refused with the fields that changed.
 */
export function requireSavedPlanBasis(run: ServiceRun, doc: Readonly<Record<string, unknown>>): void {
  const saved = run.entry.savedPlan;
  if (!saved) return;
  const drift = serviceDrift(saved.service, serviceFingerprint(doc));
  if (!drift.length) return;
  throw new UserFixableError(`Service ${run.entry.name} changed since its plan was saved (${saved.file}); nothing more is applied.`, {
    why: `What changed (saved → now): ${driftLines(drift).join("; ")}.`,
    nextStep: "Plan it again with `aci-migrate plan … --save FILE`, review the new file, and apply that.",
    kind: "state",
    code: "PlanDrift",
  });
}
