import { UserFixableError } from "../domain/errors.js";
import { buildPlan, InvalidOverridesError, type PlanOverrides, type RegionFacts, type ScriptScan } from "../domain/plan.js";
import type { V1Service } from "../domain/v1-service.js";

/** Which flag sets each override, so a rejected value is reported under the name the user typed. */
const OVERRIDE_FLAGS: Record<keyof PlanOverrides, string> = {
  endpointName: "--endpoint-name",
  deploymentName: "--deployment-name",
  sku: "--sku",
  instanceCount: "--instances",
  requestTimeoutMs: "--timeout-ms",
  authMode: "--auth-mode",
  publicNetworkAccess: "--public-network-access",
  appInsightsEnabled: "--app-insights",
  keepKeys: "--new-keys",
  model: "--model",
  environment: "--environment",
  acknowledge: "--acknowledge",
  applyScriptEdits: "--apply-script-edits",
};

/** buildPlan, with rejected overrides reported as bad input under their flag names. */
export function planWithFlags(service: V1Service, overrides: PlanOverrides, scan?: ScriptScan, region?: RegionFacts) {
  try {
    return buildPlan(service, overrides, scan, region);
  } catch (e) {
    if (!(e instanceof InvalidOverridesError)) throw e;
    throw new UserFixableError(e.problems.map((p) => `${OVERRIDE_FLAGS[p.field]}: ${p.message}`).join("\n       "), {
      nextStep: "Change the values named above and run the command again.",
      source: "command line",
      field: OVERRIDE_FLAGS[e.problems[0]!.field],
      kind: "input",
    });
  }
}
