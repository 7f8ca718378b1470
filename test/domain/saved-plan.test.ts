import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/domain/plan.js";
import { parseServiceJson } from "../../src/domain/parse-service-json.js";
import { driftLines, driftOf, savePlan, serviceFingerprint, type PlanBasis } from "../../src/domain/saved-plan.js";
import { readJson } from "../helpers/fixtures.js";

/** What a saved plan was based on, and what applying it would change, compared with Azure now. */
const doc = readJson("samples/service-sklearn-1cpu-2gb.json") as Record<string, unknown>;
const planOf = (d: Record<string, unknown>, overrides = {}) => buildPlan(parseServiceJson(d, "svc.json"), overrides);
const basisOf = (d: Record<string, unknown>, o: Partial<PlanBasis> = {}): PlanBasis => ({
  service: serviceFingerprint(d),
  code: "c0de",
  region: "eastus",
  quota: { family: "standardDSv2Family", free: 20, needed: 4 },
  ...o,
});
const saved = savePlan({
  target: { subscriptionId: "sub", resourceGroup: "rg", workspace: "ws", location: "eastus" },
  service: "sklearn-aci-svc",
  basedOn: basisOf(doc),
  choices: { overrides: {} },
  plan: planOf(doc),
});

describe("driftOf", () => {
  it("is empty when nothing changed (the addresses a service answers at are not what it is)", () => {
    const moved = { ...doc, scoringUri: "https://127.0.0.1:9/score", swaggerUri: "https://127.0.0.1:9/swagger.json" };
    expect(driftOf(saved, { basis: basisOf(moved, { quota: { family: "standardDSv2Family", free: 8, needed: 4 } }), plan: planOf(moved) })).toEqual([]);
  });

  it("names a changed field of the v1 service, and what the plan would apply differently", () => {
    const bigger = { ...doc, containerResourceRequirements: { cpu: 4, memoryInGB: 16 } };
    const lines = driftLines(driftOf(saved, { basis: basisOf(bigger), plan: planOf(bigger) }));
    expect(lines[0]).toMatch(/^v1 service: containerResourceRequirements: sha256:[0-9a-f]{16} → sha256:[0-9a-f]{16}$/);
    expect(lines).toContain(`plan: sku: ${saved.plan.sku.name} → ${planOf(bigger).sku.name}`);
  });

  it("names other code, another region, and quota that no longer covers the plan", () => {
    const drift = driftOf(saved, {
      basis: basisOf(doc, { code: "beef", region: "westeurope", quota: { family: "standardDSv2Family", free: 2, needed: 4 } }),
      plan: planOf(doc),
    });
    expect(driftLines(drift)).toEqual([
      "scoring code (content hash): c0de → beef",
      "region: eastus → westeurope",
      "free standardDSv2Family quota (vCPUs): 20 → 2, below the 4 needed",
    ]);
  });

  it("names a choice that changes what is created (instances)", () => {
    expect(driftLines(driftOf(saved, { basis: basisOf(doc), plan: planOf(doc, { instanceCount: 3 }) }))).toEqual(["plan: instanceCount: 1 → 3"]);
  });
});
