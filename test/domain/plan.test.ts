import { describe, expect, it } from "vitest";
import { buildPlan, InvalidOverridesError, validateOverrides } from "../../src/domain/plan.js";
import { parseServiceJson } from "../../src/domain/parse-service-json.js";
import { readJson } from "../helpers/fixtures.js";
import { quietService } from "../helpers/service.js";

describe("buildPlan defaults", () => {
  const plan = buildPlan(parseServiceJson(readJson("samples/service-sklearn-1cpu-2gb.json"), "svc.json"));

  it("follows DESIGN.md's defaults", () => {
    expect(plan).toMatchObject({
      endpointName: "sklearn-aci-svc-online",
      deploymentName: "blue",
      authMode: "Key",
      keysCarried: true,
      instanceCount: 1,
      requestTimeoutMs: 60_000,
      appInsightsEnabled: true,
      model: { kind: "registered", name: "sklearn_regression_model.pkl", version: "2" },
      environment: { kind: "registered", name: "sklearn-inference-env", version: "4" },
      code: { scoringScript: "score.py", sourceDirectory: "source_dir" },
      tags: { team: "risk", "migrated-from": "sklearn-aci-svc" },
      blockers: [],
    });
    expect(plan.endpointName).not.toBe(plan.service.name);
  });

  it("says which rule chose the SKU, with quota and cost for it", () => {
    expect(plan.sku).toMatchObject({ name: "Standard_D2a_v4", source: "fallback", suggested: "Standard_D2a_v4" });
    expect(plan.quota).toMatchObject({ family: "standardDAv4Family", cores: 4 });
    expect(plan.cost?.managedMonthlyUsd).toBeCloseTo(0.096 * 730, 2);
  });

  it("turns v1 no-auth into key auth with nothing to carry", () => {
    const p = buildPlan(quietService({ authEnabled: false }));
    expect(p.authMode).toBe("Key");
    expect(p.keysCarried).toBe(false);
  });
});

describe("buildPlan overrides", () => {
  it("applies each override", () => {
    const p = buildPlan(quietService(), {
      endpointName: "fraud-v2",
      deploymentName: "green",
      sku: "standard_ds3_v2",
      instanceCount: 3,
      requestTimeoutMs: 90_000,
      authMode: "AADToken",
      appInsightsEnabled: true,
    });
    expect(p).toMatchObject({
      endpointName: "fraud-v2",
      deploymentName: "green",
      instanceCount: 3,
      requestTimeoutMs: 90_000,
      authMode: "AADToken",
      keysCarried: false,
      appInsightsEnabled: true,
    });
    expect(p.sku).toMatchObject({ name: "Standard_DS3_v2", source: "override", suggested: "Standard_DS1_v2" });
    expect(p.sku.rationale).toContain("You chose Standard_DS3_v2");
    expect(p.quota).toMatchObject({ family: "standardDSv2Family", cores: 4 * 4 });
  });

  it("multiplies the cheaper alternative's saving by the instance count", () => {
    const p = buildPlan(quietService({ cpu: 2, memoryGb: 4 }), { instanceCount: 3 });
    expect(p.sku.name).toBe("Standard_DS2_v2");
    expect(p.sku.alternative?.name).toBe("Standard_D2a_v4");
    expect(p.sku.alternative?.monthlySavingUsd).toBeCloseTo((0.146 - 0.096) * 730 * 3, 1);
  });

  it.each([
    [{ instanceCount: 0 }, "instanceCount", /1 to 50/],
    [{ instanceCount: 51 }, "instanceCount", /1 to 50/],
    [{ instanceCount: 1.5 }, "instanceCount", /whole number/],
    [{ requestTimeoutMs: 999 }, "requestTimeoutMs", /1000 \(1 s\) to 180000/],
    [{ requestTimeoutMs: 180_001 }, "requestTimeoutMs", /180000/],
    [{ sku: "Standard_B1s" }, "sku", /not a VM size that managed online endpoints support/],
    [{ endpointName: "1-bad" }, "endpointName", /must start with a letter/],
    [{ deploymentName: "b" }, "deploymentName", /at least 3/],
    [{ model: "model-without-version" }, "model", /NAME:VERSION/],
    [{ environment: "env@latest" }, "environment", /NAME:VERSION/],
    [{ acknowledge: ["few-instances"] }, "acknowledge", /not a blocker that can be acknowledged/],
  ] as const)("rejects %j", (overrides, field, message) => {
    const problems = validateOverrides(overrides);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field });
    expect(problems[0]!.message).toMatch(message);
    expect(() => buildPlan(quietService(), overrides)).toThrow(InvalidOverridesError);
  });

  it("accepts the edges of each range", () => {
    expect(validateOverrides({ instanceCount: 1, requestTimeoutMs: 1000 })).toEqual([]);
    expect(validateOverrides({ instanceCount: 50, requestTimeoutMs: 180_000 })).toEqual([]);
  });
});

describe("blockers", () => {
  it("stay in the plan until explicitly acknowledged", () => {
    const service = quietService({ state: "Failed", vnet: { vnetName: "v" } });
    const blocked = buildPlan(service);
    expect(blocked.blockers).toEqual(["service-not-healthy", "vnet-redo"]);

    const half = buildPlan(service, { acknowledge: ["vnet-redo"] });
    expect(half.blockers).toEqual(["service-not-healthy"]);
    expect(half.findings.find((f) => f.id === "vnet-redo")).toMatchObject({ severity: "blocker", acknowledged: true });

    const clear = buildPlan(service, { acknowledge: ["vnet-redo", "service-not-healthy"] });
    expect(clear.blockers).toEqual([]);
    expect(clear.findings.filter((f) => f.severity === "blocker")).toHaveLength(2); // still listed, just accepted
  });

  it("an environment named by the user replaces the service's, and the findings about the old one go", () => {
    const base = quietService();
    const noServer = quietService({
      environment: { ...base.environment!, name: "core-only", version: "1", condaDependencies: { dependencies: [{ pip: ["azureml-core"] }] } },
    });
    expect(buildPlan(noServer).blockers).toEqual(["missing-inference-server"]);
    const fixed = buildPlan(noServer, { environment: "sklearn-env:5" });
    expect(fixed.blockers).toEqual([]);
    expect(fixed.environment).toEqual({ kind: "registered", name: "sklearn-env", version: "5" });
    expect(fixed.findings.map((f) => f.id)).not.toContain("missing-inference-server");
    const image = quietService({ environment: undefined, image: { id: "legacy:3", location: "acr.io/legacy:3" } });
    expect(buildPlan(image).blockers).toEqual(["image-based-service"]);
    expect(buildPlan(image, { environment: "sklearn-env:5" })).toMatchObject({ blockers: [], environment: { kind: "registered", name: "sklearn-env" } });
  });

  it("new keys instead of the v1 keys: nothing carried, and the finding says callers' keys stop working", () => {
    const keyed = quietService({ authEnabled: true });
    expect(buildPlan(keyed)).toMatchObject({ keysCarried: true });
    const fresh = buildPlan(keyed, { keepKeys: false });
    expect(fresh).toMatchObject({ keysCarried: false, authMode: "Key" });
    expect(fresh.findings.map((f) => f.id)).toContain("auth-mode-changed");
    expect(fresh.findings.map((f) => f.id)).not.toContain("keys-carried");
    expect(fresh.findings.find((f) => f.id === "auth-mode-changed")!.message).toContain("new keys");
  });

  it("cannot acknowledge away the absence of any SKU", () => {
    const p = buildPlan(quietService({ cpu: 500 }), { acknowledge: ["no-sku-fits"] });
    expect(p.blockers).toEqual(["no-sku-fits"]);
    expect(p.sku.name).toBeNull();
    expect(p.quota).toBeNull();
  });
});
