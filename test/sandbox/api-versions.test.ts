import { request } from "node:https";
import { describe, expect, it } from "vitest";
import { ML_API_VERSIONS, STORAGE_API_VERSIONS } from "../../src/sandbox/api-versions.js";
import { VERSIONED_FIELDS } from "../../src/sandbox/version-shapes.js";
import { FAST, useSandbox } from "../helpers/sandbox.js";

const h = useSandbox({ speed: 1000 });

function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      new URL(path, h.sb.armEndpoint),
      { method, ca: h.sb.caPem, headers: { authorization: `Bearer ${h.sb.token}`, ...(data ? { "content-type": "application/json" } : {}) } },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

const createEndpoint = (name: string) =>
  h
    .ml()
    .onlineEndpoints.beginCreateOrUpdateAndWait(
      "rg-ml-prod",
      "ml-prod-eastus",
      name,
      { location: "eastus", identity: { type: "SystemAssigned" }, properties: { authMode: "Key" } },
      FAST,
    );

const ws = () => `/subscriptions/${h.prodSub}/resourceGroups/rg-ml-prod/providers/Microsoft.MachineLearningServices/workspaces/ml-prod-eastus`;

describe("every api-version of Microsoft.MachineLearningServices Azure serves", () => {
  it("answers the workspace, its models and an endpoint in each version, with that version's fields", async () => {
    await createEndpoint("versions-ep");
    const mirror = VERSIONED_FIELDS.find((f) => f.field === "mirrorTraffic")!;
    for (const version of ML_API_VERSIONS) {
      const workspace = await call("GET", `${ws()}?api-version=${version}`);
      expect([version, workspace.status, workspace.body.name]).toEqual([version, 200, "ml-prod-eastus"]);
      const models = await call("GET", `${ws()}/models?api-version=${version}`);
      expect([version, models.status]).toEqual([version, 200]);
      const endpoint = await call("GET", `${ws()}/onlineEndpoints/versions-ep?api-version=${version}`);
      expect([version, endpoint.status, endpoint.body.properties.authMode]).toEqual([version, 200, "Key"]);
      expect([version, "mirrorTraffic" in endpoint.body.properties]).toEqual([version, mirror.has(version)]);
    }
    // The versions differ where the specs say they do.
    expect(ML_API_VERSIONS.filter((v) => mirror.has(v))).toContain("2022-10-01-preview");
    expect(ML_API_VERSIONS.filter((v) => !mirror.has(v))).toEqual(["2022-02-01-preview", "2022-05-01", "2022-06-01-preview", "2022-10-01"]);
  });

  it("keeps a 2022-02-01-preview deployment's privateNetworkConnection as later versions name it", async () => {
    const client = h.ml();
    await createEndpoint("private-ep");
    const model = await client.modelVersions.get("rg-ml-prod", "ml-prod-eastus", "churn-model", "3");
    const env = await client.environmentVersions.get("rg-ml-prod", "ml-prod-eastus", "sklearn-inference-env", "4");
    const put = await call("PUT", `${ws()}/onlineEndpoints/private-ep/deployments/blue?api-version=2022-02-01-preview`, {
      location: "eastus",
      sku: { name: "Default", capacity: 1 },
      properties: { endpointComputeType: "Managed", model: model.id, environmentId: env.id, instanceType: "Standard_DS2_v2", privateNetworkConnection: true },
    });
    expect(put.status).toBe(201);
    const path = `${ws()}/onlineEndpoints/private-ep/deployments/blue`;
    expect((await call("GET", `${path}?api-version=2022-02-01-preview`)).body.properties).toMatchObject({ privateNetworkConnection: true });
    const stable = (await call("GET", `${path}?api-version=2022-10-01`)).body.properties;
    expect([stable.egressPublicNetworkAccess, "privateNetworkConnection" in stable]).toEqual(["Disabled", false]);
    expect("egressPublicNetworkAccess" in (await call("GET", `${path}?api-version=2022-05-01`)).body.properties).toBe(false);
  });

  it("refuses a version Azure does not serve as Azure does, naming the served ones", async () => {
    for (const version of ["2099-01-01", "2021-13-01-preview"]) {
      const r = await call("GET", `${ws()}/onlineEndpoints?api-version=${version}`);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("NoRegisteredProviderFound");
      expect(r.body.error.message).toContain(`API version '${version}' for type 'workspaces/onlineEndpoints'`);
      for (const served of ["2022-02-01-preview", "2022-10-01", ML_API_VERSIONS.at(-1)!]) expect(r.body.error.message).toContain(served);
    }
    const storage = await call(
      "POST",
      `/subscriptions/${h.prodSub}/resourceGroups/rg-ml-prod/providers/Microsoft.Storage/storageAccounts/x/listKeys?api-version=2099-01-01`,
    );
    expect([storage.status, storage.body.error.code]).toEqual([400, "NoRegisteredProviderFound"]);
    expect(storage.body.error.message).toContain(STORAGE_API_VERSIONS.at(-1)!);
  });
});
