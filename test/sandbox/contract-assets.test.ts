import { describe, expect, it } from "vitest";
import { all } from "../helpers/fixtures.js";
import { FAST, useSandbox } from "../helpers/sandbox.js";
import { score } from "../helpers/score.js";

const h = useSandbox();
const RG = "rg-ml-prod";
const WS = "ml-prod-eastus";

describe("models, environments and codes (containers and versions)", () => {
  it("lists and gets the seeded models, registers a new version", async () => {
    const ml = h.ml();
    const containers = (await all(ml.modelContainers.list(RG, WS))).map((c) => c.name);
    expect(containers).toEqual(expect.arrayContaining(["churn-model", "credit-model", "ensemble-gbm", "ensemble-nn"]));
    expect((await ml.modelContainers.get(RG, WS, "credit-model")).properties.latestVersion).toBe("7");
    const v = await ml.modelVersions.createOrUpdate(RG, WS, "credit-model", "8", {
      properties: {
        modelUri: "azureml://datastores/workspaceblobstore/paths/models/credit/8/",
        modelType: "custom_model",
        properties: { "azureml.v1.models": "credit-model:7" },
      },
    });
    expect(v.properties).toMatchObject({ modelType: "custom_model", properties: { "azureml.v1.models": "credit-model:7" } });
    expect((await all(ml.modelVersions.list(RG, WS, "credit-model"))).map((x) => x.name).sort()).toEqual(["7", "8"]);
    expect((await ml.modelVersions.get(RG, WS, "credit-model", "8")).properties.modelUri).toContain("/models/credit/8/");
    await expect(ml.modelVersions.get(RG, WS, "credit-model", "99")).rejects.toMatchObject({ statusCode: 404 });
    await expect(ml.modelVersions.createOrUpdate(RG, WS, "credit-model", "9", { properties: {} })).rejects.toMatchObject({ statusCode: 400 });
  });

  it("environments carry the v1 conda file; a new version can be registered from an image", async () => {
    const ml = h.ml();
    const env = await ml.environmentVersions.get(RG, WS, "sklearn-inference-env", "4");
    expect(env.properties.condaFile).toContain("azureml-defaults==1.43.0");
    expect((await ml.environmentContainers.get(RG, WS, "legacy-core-only-env")).properties.latestVersion).toBe("1");
    expect((await all(ml.environmentContainers.list(RG, WS))).length).toBe(6);
    const created = await ml.environmentVersions.createOrUpdate(RG, WS, "legacy-image-env", "1", {
      properties: { image: "mlprodeastusacr.azurecr.io/legacy-fraud-image:3" },
    });
    expect(created.properties.image).toBe("mlprodeastusacr.azurecr.io/legacy-fraud-image:3");
    expect((await all(ml.environmentVersions.list(RG, WS, "legacy-image-env"))).map((x) => x.name)).toEqual(["1"]);
  });

  it("codes: container and versions", async () => {
    const ml = h.ml();
    await ml.codeVersions.createOrUpdate(RG, WS, "sklearn-code", "1", { properties: { codeUri: "https://mlprodeastusstore.blob.core.windows.net/x/" } });
    expect((await ml.codeContainers.get(RG, WS, "sklearn-code")).properties.latestVersion).toBe("1");
    expect((await all(ml.codeContainers.list(RG, WS))).map((c) => c.name)).toContain("sklearn-code");
    expect((await ml.codeVersions.get(RG, WS, "sklearn-code", "1")).properties.codeUri).toContain("/x/");
    await expect(ml.codeContainers.get(RG, WS, "nope")).rejects.toMatchObject({ statusCode: 404 });
  });

  it("datastores: list, default only, get", async () => {
    const ml = h.ml();
    expect((await all(ml.datastores.list(RG, WS))).map((d) => d.name).sort()).toEqual(["workspaceartifactstore", "workspaceblobstore"]);
    const blob = await ml.datastores.get(RG, WS, "workspaceblobstore");
    expect(blob.properties).toMatchObject({ datastoreType: "AzureBlob", isDefault: true, accountName: "mlprodeastusstore" });
  });
});

describe("deployments list, and the v1 key and token operations", () => {
  it("lists an endpoint's deployments", async () => {
    const ml = h.ml();
    const ws = `/subscriptions/${h.prodSub}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/${WS}`;
    await ml.onlineEndpoints.beginCreateOrUpdateAndWait(RG, WS, "assets-online", { location: "eastus", properties: { authMode: "Key" } }, FAST);
    for (const name of ["blue", "green"]) {
      await ml.onlineDeployments.beginCreateOrUpdateAndWait(
        RG,
        WS,
        "assets-online",
        name,
        {
          location: "eastus",
          properties: {
            endpointComputeType: "Managed",
            instanceType: "Standard_F2s_v2",
            model: `${ws}/models/churn-model/versions/3`,
            environmentId: `${ws}/environments/sklearn-inference-env/versions/4`,
          },
        },
        FAST,
      );
    }
    expect((await all(ml.onlineDeployments.list(RG, WS, "assets-online"))).map((d) => d.name).sort()).toEqual(["blue", "green"]);
  });

  it("regenerates a v1 service key; a v1 ACI service has no tokens (plain HTTPS: our client has no use for either)", async () => {
    const coords = { subscriptionId: h.prodSub, resourceGroup: RG, workspace: WS };
    const base = `/modelmanagement/v1.0/subscriptions/${h.prodSub}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/${WS}/services/pricing-tls`;
    const before = await h.mms().listServiceKeys(coords, "pricing-tls");
    const regenerated = await score(h.sb, `${base}/regenerateKeys?api-version=2018-11-19`, h.sb.token, { keyType: "Secondary" });
    expect(regenerated.status).toBe(200);
    expect(regenerated.json().primaryKey).toBe(before.primaryKey);
    expect((await h.mms().listServiceKeys(coords, "pricing-tls")).secondaryKey).not.toBe(before.secondaryKey);
    const token = await score(h.sb, `${base}/token?api-version=2018-11-19`, h.sb.token, {});
    expect(token.status).toBe(400);
    expect(token.json()).toMatchObject({ code: "BadRequest", statusCode: 400, message: expect.stringContaining("does not support token authentication") });
  });
});
