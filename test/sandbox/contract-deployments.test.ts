import { describe, expect, it } from "vitest";
import { FAST, useSandbox } from "../helpers/sandbox.js";
import { score } from "../helpers/score.js";
import { scoreScript } from "../../src/sandbox/seed-scripts.js";

const h = useSandbox();
const RG = "rg-ml-prod";
const WS = "ml-prod-eastus";
const wsId = () => `/subscriptions/${h.prodSub}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/${WS}`;
const asset = (kind: string, name: string, version: string) => `${wsId()}/${kind}/${name}/versions/${version}`;
const coords = () => ({ subscriptionId: h.prodSub, resourceGroup: RG, workspace: WS });

function deployment(instanceType: string, model: string, environment: string, capacity = 1, extra: Record<string, unknown> = {}) {
  const [mName, mVersion] = model.split(":") as [string, string];
  const [eName, eVersion] = environment.split(":") as [string, string];
  return {
    location: "eastus",
    sku: { name: "Default", capacity },
    properties: {
      endpointComputeType: "Managed" as const,
      instanceType,
      model: asset("models", mName, mVersion),
      environmentId: asset("environments", eName, eVersion),
      codeConfiguration: { codeId: asset("codes", "credit-code", "1"), scoringScript: "score.py" },
      requestSettings: { requestTimeout: "PT60S" },
      ...extra,
    },
  };
}

describe("a managed deployment end to end", () => {
  it("registers code, creates the endpoint with the v1 keys, deploys, streams logs, routes traffic and scores like ACI", async () => {
    const ml = h.ml();
    const mms = h.mms();
    const v1Keys = await mms.listServiceKeys(coords(), "credit-2cpu-4gb");

    await h.uploadBlob("mlprodeastusstore", "azureml", "code/credit/score.py", scoreScript({ name: "credit-2cpu-4gb", models: ["credit-model:7"] }));
    const code = await ml.codeVersions.createOrUpdate(RG, WS, "credit-code", "1", {
      properties: { codeUri: "https://mlprodeastusstore.blob.core.windows.net/azureml/code/credit/" },
    });
    expect(code.id).toBe(asset("codes", "credit-code", "1"));
    const versions = [];
    for await (const v of ml.codeVersions.list(RG, WS, "credit-code")) versions.push(v.name);
    expect(versions).toEqual(["1"]);

    await ml.onlineEndpoints.beginCreateOrUpdateAndWait(RG, WS, "credit-online", { location: "eastus", properties: { authMode: "Key", keys: v1Keys } }, FAST);
    const poller = await ml.onlineDeployments.beginCreateOrUpdate(
      RG,
      WS,
      "credit-online",
      "blue",
      deployment("Standard_DS2_v2", "credit-model:7", "lightgbm-env:2", 1, { appInsightsEnabled: true, environmentVariables: { WORKERS: "2" } }),
      FAST,
    );
    const done = await poller.pollUntilDone();
    expect(done.properties).toMatchObject({
      provisioningState: "Succeeded",
      instanceType: "Standard_DS2_v2",
      appInsightsEnabled: true,
      environmentVariables: { WORKERS: "2" },
    });
    expect(done.sku).toMatchObject({ capacity: 1 });

    const storage = await ml.onlineDeployments.getLogs(RG, WS, "credit-online", "blue", { containerType: "StorageInitializer" });
    expect(storage.content).toContain("Downloading model credit-model/7");
    const server = await ml.onlineDeployments.getLogs(RG, WS, "credit-online", "blue", { containerType: "InferenceServer" });
    expect(server.content).toContain("Azure ML Inference HTTP server is up and ready for requests!");
    const tail = await ml.onlineDeployments.getLogs(RG, WS, "credit-online", "blue", { containerType: "InferenceServer", tail: 2 });
    expect(tail.content!.split("\n")).toHaveLength(2);

    const skus = [];
    for await (const s of ml.onlineDeployments.listSkus(RG, WS, "credit-online", "blue")) skus.push(s);
    expect(skus[0]?.capacity).toMatchObject({ minimum: 1, maximum: 50 });
    const usage = [];
    for await (const u of ml.usages.list("eastus")) usage.push(u);
    expect(usage.find((u) => u.name?.value === "standardDSv2Family")?.currentValue).toBe(4); // ceil(1.2 × 1) × 2

    // Before traffic moves, the endpoint has nothing to route to; a pinned deployment header still works.
    const input = {
      data: [
        [0.1, 2, 3],
        [4, 5, 6],
      ],
    };
    expect((await score(h.sb, "/online/eastus/credit-online/score", v1Keys.primaryKey, input)).status).toBe(404);
    expect((await score(h.sb, "/online/eastus/credit-online/score", v1Keys.primaryKey, input, { "azureml-model-deployment": "blue" })).status).toBe(200);

    const ep = await ml.onlineEndpoints.get(RG, WS, "credit-online");
    await ml.onlineEndpoints.beginCreateOrUpdateAndWait(RG, WS, "credit-online", { ...ep, properties: { ...ep.properties, traffic: { blue: 100 } } }, FAST);
    expect((await ml.onlineEndpoints.get(RG, WS, "credit-online")).properties.traffic).toEqual({ blue: 100 });

    // The v1 key works on the new endpoint, and the new endpoint answers as the old service did.
    const svc = await mms.getService(coords(), "credit-2cpu-4gb");
    const oldAnswer = await score(h.sb, String(svc.scoringUri), v1Keys.primaryKey, input);
    const newAnswer = await score(h.sb, String(ep.properties.scoringUri), v1Keys.primaryKey, input);
    expect(oldAnswer.status).toBe(200);
    expect(newAnswer.status).toBe(200);
    expect(newAnswer.json()).toEqual(oldAnswer.json());
    expect(newAnswer.headers["azureml-model-deployment"]).toBe("blue");
    expect((await score(h.sb, String(ep.properties.scoringUri), "not-the-key", input)).status).toBe(401);
    expect((await score(h.sb, String(svc.scoringUri), undefined, input)).status).toBe(401);

    // A different model answers differently.
    const churnKeys = await mms.listServiceKeys(coords(), "churn-keyauth");
    const churn = await mms.getService(coords(), "churn-keyauth");
    expect((await score(h.sb, String(churn.scoringUri), churnKeys.primaryKey, input)).json()).not.toEqual(oldAnswer.json());
  });

  it("fails the LRO with ResourceNotReady when the environment lacks the inference server, with the crash in the logs", async () => {
    const ml = h.ml();
    await ml.onlineEndpoints.beginCreateOrUpdateAndWait(RG, WS, "broken-online", { location: "eastus", properties: { authMode: "Key" } }, FAST);
    const poller = await ml.onlineDeployments.beginCreateOrUpdate(
      RG,
      WS,
      "broken-online",
      "blue",
      deployment("Standard_DS1_v2", "churn-model:3", "legacy-core-only-env:1"),
      FAST,
    );
    await expect(poller.pollUntilDone()).rejects.toThrow(/ResourceNotReady: User container has crashed or terminated/);
    const d = await ml.onlineDeployments.get(RG, WS, "broken-online", "blue");
    expect(d.properties.provisioningState).toBe("Failed");
    const logs = await ml.onlineDeployments.getLogs(RG, WS, "broken-online", "blue", { containerType: "InferenceServer" });
    expect(logs.content).toContain("ModuleNotFoundError: No module named 'azureml_inference_server_http'");
  });

  it("refuses a deployment beyond the quota with Azure's synchronous 400", async () => {
    const ml = h.ml();
    const error = await ml.onlineDeployments
      .beginCreateOrUpdate(RG, WS, "credit-online", "green", deployment("Standard_E4s_v3", "credit-model:7", "lightgbm-env:2", 10), FAST)
      .then(
        () => undefined,
        (e: unknown) => e as { statusCode: number; code: string; details?: { code: string; message: string }[]; message: string },
      );
    expect(error?.statusCode).toBe(400);
    expect(error?.code).toBe("BadRequest");
    expect(JSON.stringify(error)).toContain("Not enough quota available for Standard_E4s_v3");
    expect(JSON.stringify(error)).toContain("Current usage/limit: 0/32. Additional needed: 48");
  });

  it("rejects unknown assets and oversized timeouts with the field at fault", async () => {
    const ml = h.ml();
    await expect(
      ml.onlineDeployments.beginCreateOrUpdate(RG, WS, "credit-online", "green", deployment("Standard_DS2_v2", "no-such-model:1", "lightgbm-env:2"), FAST),
    ).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining("properties.model"),
    });
    const bad = deployment("Standard_DS2_v2", "credit-model:7", "lightgbm-env:2");
    bad.properties.requestSettings = { requestTimeout: "PT4M" };
    await expect(ml.onlineDeployments.beginCreateOrUpdate(RG, WS, "credit-online", "green", bad, FAST)).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining("PT3M"),
    });
  });

  it("scales with PATCH, refuses to delete a deployment that has traffic, deletes once traffic moved", async () => {
    const ml = h.ml();
    const scaled = await ml.onlineDeployments.beginUpdateAndWait(RG, WS, "credit-online", "blue", { sku: { capacity: 2 } }, FAST);
    expect(scaled.sku?.capacity).toBe(2);
    await expect(ml.onlineDeployments.beginDeleteAndWait(RG, WS, "credit-online", "blue", FAST)).rejects.toMatchObject({ statusCode: 400 });
    const ep = await ml.onlineEndpoints.get(RG, WS, "credit-online");
    await ml.onlineEndpoints.beginCreateOrUpdateAndWait(RG, WS, "credit-online", { ...ep, properties: { ...ep.properties, traffic: {} } }, FAST);
    await ml.onlineDeployments.beginDeleteAndWait(RG, WS, "credit-online", "blue", FAST);
    await expect(ml.onlineDeployments.get(RG, WS, "credit-online", "blue")).rejects.toMatchObject({ statusCode: 404 });
  });
});
