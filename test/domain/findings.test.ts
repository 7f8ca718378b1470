import { describe, expect, it } from "vitest";
import { FINDING_RULES } from "../../src/domain/findings.js";
import { buildPlan, type PlanOverrides, type RegionFacts } from "../../src/domain/plan.js";
import type { V1Service } from "../../src/domain/v1-service.js";
import { quietService } from "../helpers/service.js";

/** Planned so that only the change under test can fire anything. */
const QUIET: PlanOverrides = { instanceCount: 3, requestTimeoutMs: 5000 };
const idsFor = (service: V1Service, overrides: PlanOverrides = {}, region?: RegionFacts) =>
  buildPlan(service, { ...QUIET, ...overrides }, undefined, region).findings.map((f) => f.id);

const env = quietService().environment!;

interface Case {
  id: string;
  fires: { service?: Partial<V1Service>; overrides?: PlanOverrides; region?: RegionFacts };
  /** A near miss: the closest input on which the rule must stay quiet. */
  quiet: { service?: Partial<V1Service>; overrides?: PlanOverrides; region?: RegionFacts };
}

const CASES: Case[] = [
  { id: "auth-none-to-key", fires: { service: { authEnabled: false } }, quiet: { service: { authEnabled: true } } },
  { id: "keys-carried", fires: { service: { authEnabled: true } }, quiet: { service: { authEnabled: false } } },
  { id: "auth-mode-changed", fires: { overrides: { authMode: "AMLToken" } }, quiet: { overrides: { authMode: "Key" } } },
  {
    id: "tls-certificate-dropped",
    fires: { service: { tls: { enabled: true, customCertificate: true } } },
    quiet: { service: { tls: { enabled: true, customCertificate: false } } },
  },
  { id: "custom-dns-unsupported", fires: { service: { cname: "score.contoso.com" } }, quiet: { service: { cname: undefined } } },
  { id: "cmk-encryption-unsupported", fires: { service: { encryption: { keyName: "k" } } }, quiet: { service: { encryption: undefined } } },
  { id: "vnet-redo", fires: { service: { vnet: { vnetName: "v", subnetName: "s" } } }, quiet: { service: { vnet: undefined } } },
  { id: "public-network-access-off", fires: { overrides: { publicNetworkAccess: "Disabled" } }, quiet: { overrides: { publicNetworkAccess: "Enabled" } } },
  { id: "service-not-healthy", fires: { service: { state: "Unhealthy" } }, quiet: { service: { state: undefined } } },
  {
    id: "image-based-service",
    fires: { service: { environment: undefined, image: { id: "img:1", location: "acr.azurecr.io/img:1" } } },
    quiet: { service: { image: { id: "img:1" } } }, // has an environment too: not image-based
  },
  {
    id: "multiple-models",
    fires: {
      service: {
        models: [
          { name: "a", version: "1", id: "a:1" },
          { name: "b", version: "2", id: "b:2" },
        ],
      },
    },
    quiet: {
      service: {
        models: [
          { name: "a", version: "1", id: "a:1" },
          { name: "b", version: "2", id: "b:2" },
        ],
      },
      overrides: { model: "a:1" },
    },
  },
  {
    id: "missing-inference-server",
    fires: { service: { environment: { ...env, condaDependencies: { dependencies: ["python=3.10", { pip: ["scikit-learn==1.0", "azureml-core"] }] } } } },
    quiet: { service: { environment: { ...env, condaDependencies: { dependencies: [{ pip: ["azureml_defaults==1.43"] }] } } } },
  },
  { id: "request-timeout-raised", fires: { overrides: { requestTimeoutMs: 60_000 } }, quiet: { overrides: { requestTimeoutMs: 5000 } } },
  { id: "sku-outside-table", fires: { service: { cpu: 1, memoryGb: 2 } }, quiet: { service: { cpu: 1, memoryGb: 1.2 } } },
  // The cheaper fit the plan offers for 2 CPU / 4 GB (row 3's DS2_v2) is taken without the warning; another size is not.
  {
    id: "sku-outside-table",
    fires: { service: { cpu: 2, memoryGb: 4 }, overrides: { sku: "Standard_D4a_v4" } },
    quiet: { service: { cpu: 2, memoryGb: 4 }, overrides: { sku: "Standard_D2a_v4" } },
  },
  { id: "no-sku-fits", fires: { service: { cpu: 500 } }, quiet: { service: { cpu: 500 }, overrides: { sku: "Standard_D96a_v4" } } },
  {
    id: "sku-smaller-than-request",
    fires: { service: { cpu: 4, memoryGb: 8 }, overrides: { sku: "Standard_DS1_v2" } },
    quiet: { service: { cpu: 1, memoryGb: 1 }, overrides: { sku: "Standard_DS2_v2" } },
  },
  { id: "few-instances", fires: { overrides: { instanceCount: 1 } }, quiet: { overrides: { instanceCount: 3 } } },
  { id: "app-insights-copied", fires: { service: { appInsightsEnabled: true } }, quiet: { service: { appInsightsEnabled: false } } },
  {
    id: "environment-variables-copied",
    fires: { service: { environment: { ...env, environmentVariables: { WORKERS: "2" } } } },
    quiet: { service: { environment: { ...env, environmentVariables: {} } } },
  },
  {
    id: "data-collection-not-carried",
    fires: { service: { dataCollection: { storageEnabled: true, eventHubEnabled: false } } },
    quiet: { service: { dataCollection: { storageEnabled: false, eventHubEnabled: false } } },
  },
  { id: "gpu-request-on-aci", fires: { service: { gpu: 1 } }, quiet: { service: { gpu: 1 }, overrides: { sku: "Standard_NC4as_T4_v3" } } },
  // What the region says (asked at review): a taken name, and quota short by one vCPU (3 × DS2_v2 needs 4 × 2).
  {
    id: "endpoint-name-taken",
    fires: { overrides: { endpointName: "taken-one" }, region: { location: "eastus", takenEndpointNames: ["taken-one"] } },
    quiet: { overrides: { endpointName: "taken-two" }, region: { location: "eastus", takenEndpointNames: ["taken-one"] } },
  },
  // A service migrated before (its endpoint ours), planned again: blue on another size is replaced by green.
  {
    id: "blue-green-switch",
    fires: { overrides: { sku: "Standard_DS2_v2" }, region: { location: "eastus", ourDeployments: [{ name: "blue", instanceType: "Standard_DS1_v2" }] } },
    quiet: { overrides: { sku: "Standard_DS1_v2" }, region: { location: "eastus", ourDeployments: [{ name: "blue", instanceType: "Standard_DS1_v2" }] } },
  },
  {
    id: "quota-short",
    fires: { overrides: { sku: "Standard_DS2_v2" }, region: { location: "eastus", freeQuota: { standardDSv2Family: 7 } } },
    quiet: { overrides: { sku: "Standard_DS2_v2" }, region: { location: "eastus", freeQuota: { standardDSv2Family: 8 } } },
  },
  { id: "environment-unknown", fires: { service: { environment: undefined } }, quiet: {} },
  {
    id: "model-unknown",
    fires: { service: { models: [], modelsKnown: false } },
    quiet: { service: { models: [], modelsKnown: false }, overrides: { model: "m:3" } },
  },
];

describe("findings", () => {
  it("the quiet service trips nothing", () => {
    expect(idsFor(quietService())).toEqual(["keys-carried"]); // key auth on: carrying the keys is always worth saying
  });

  it("every rule has a case here", () => {
    expect([...new Set(CASES.map((c) => c.id))].sort()).toEqual(FINDING_RULES.map((r) => r.id).sort()); // a rule may have two near misses
  });

  it.each(CASES)("$id fires, and stays quiet on its near miss", ({ id, fires, quiet }) => {
    expect(idsFor(quietService(fires.service), fires.overrides, fires.region)).toContain(id);
    expect(idsFor(quietService(quiet.service), quiet.overrides, quiet.region)).not.toContain(id);
  });

  it.each(FINDING_RULES.map((r) => r.id))("%s reads as one sentence of what happens and one of what to do, with a doc link", (id) => {
    const c = CASES.find((x) => x.id === id)!;
    const f = buildPlan(quietService(c.fires.service), { ...QUIET, ...c.fires.overrides }, undefined, c.fires.region).findings.find((x) => x.id === id)!;
    expect(f.message).toMatch(/^\S.*[.]$/s);
    expect(f.remedy).toMatch(/^\S.*[.]$/s);
    expect(f.docUrl).toMatch(/^https:\/\/learn\.microsoft\.com\/azure\/machine-learning\//);
    expect(["blocker", "warning", "info"]).toContain(f.severity);
  });

  it("orders blockers, then warnings, then information", () => {
    const plan = buildPlan(quietService({ state: "Failed", authEnabled: false, appInsightsEnabled: true }), {});
    const order = plan.findings.map((f) => ({ blocker: 0, warning: 1, info: 2 })[f.severity]);
    expect(order).toEqual([...order].sort());
    expect(plan.findings[0]!.id).toBe("service-not-healthy");
  });

  it("a taken name and short quota stay blockers when acknowledged: only a change clears them", () => {
    const region: RegionFacts = {
      location: "eastus",
      takenEndpointNames: ["svc-online"],
      freeEndpointName: "svc-online-2",
      freeQuota: { standardDSv2Family: 0 },
    };
    const plan = buildPlan(
      quietService(),
      { ...QUIET, endpointName: "svc-online", sku: "Standard_DS2_v2", acknowledge: ["endpoint-name-taken", "quota-short"] },
      undefined,
      region,
    );
    expect(plan.blockers).toEqual(expect.arrayContaining(["endpoint-name-taken", "quota-short"]));
    expect(plan.findings.find((f) => f.id === "endpoint-name-taken")!.remedy).toContain("--endpoint-name svc-online-2");
    expect(buildPlan(quietService(), { ...QUIET, endpointName: "svc-online-2", sku: "Standard_F2s_v2" }, undefined, region).blockers).toEqual([]);
  });

  it("says the auth the callers will need when no-auth becomes key auth", () => {
    const f = buildPlan(quietService({ authEnabled: false })).findings.find((x) => x.id === "auth-none-to-key")!;
    expect(f.message).toContain("key auth");
    expect(f.remedy).toContain("Authorization: Bearer <key>");
  });
});

describe("the CMK and VNet findings with a target workspace", () => {
  const cmk = { ...quietService(), encryption: { keyName: "aci-cmk" } } as V1Service;
  const vnet = { ...quietService(), vnet: { vnetName: "v", subnetName: "s" } } as V1Service;
  const finding = (service: V1Service, region?: RegionFacts) => (id: string) => buildPlan(service, QUIET, undefined, region).findings.find((f) => f.id === id)!;

  it("offer --target-workspace as their remedy while the endpoint would go into the service's own workspace", () => {
    expect(finding(cmk)("cmk-encryption-unsupported").remedy).toContain("--target-workspace NAME");
    expect(finding(vnet)("vnet-redo").remedy).toContain("--target-workspace NAME");
  });

  it("speak of the target once one is chosen", () => {
    const into: RegionFacts = { location: "eastus", into: "ml-prod-eastus" };
    const c = finding(cmk, into)("cmk-encryption-unsupported");
    expect(c.message).toContain("the endpoint gets the keys of ml-prod-eastus, where it goes");
    expect(c.remedy).toBe(
      "If ml-prod-eastus was created with your customer-managed key (or Microsoft-managed keys are acceptable), acknowledge it (--acknowledge cmk-encryption-unsupported).",
    );
    expect(finding(vnet, into)("vnet-redo").remedy).toContain("managed network isolation in ml-prod-eastus (where the endpoint goes)");
  });
});
