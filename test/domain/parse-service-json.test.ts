import { describe, expect, it } from "vitest";
import { UserFixableError } from "../../src/domain/errors.js";
import { parseServiceJson } from "../../src/domain/parse-service-json.js";
import { readJson } from "../helpers/fixtures.js";

const mms = () => structuredClone(readJson("test/fixtures/reference/mms-aci-service.synthesized.json")) as Record<string, unknown>;

function thrown(fn: () => unknown): UserFixableError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserFixableError);
    return e as UserFixableError;
  }
  throw new Error("expected an error");
}

describe("parseServiceJson: the model-management REST shape", () => {
  it("reads the reference sample", () => {
    const s = parseServiceJson(mms(), "svc.json");
    expect(s).toMatchObject({
      origin: "service-json",
      name: "sklearn-aci-svc",
      location: "eastus2",
      state: "Healthy",
      tags: { team: "risk" },
      cpu: 1,
      memoryGb: 2,
      gpu: 0,
      authEnabled: true,
      appInsightsEnabled: true,
      tls: { enabled: false, customCertificate: false },
      models: [{ name: "sklearn_regression_model.pkl", version: "2", id: "sklearn_regression_model.pkl:2" }],
      modelsKnown: true,
      // AZUREML_ENTRY_SCRIPT names the user's script; driverProgram is v1's wrapper (tmpk2s8w7a1.py).
      entryScript: "score.py",
      sourceDirectory: "source_dir",
      scoringUri: expect.stringContaining("azurecontainer.io/score"),
    });
    expect(s.environment).toMatchObject({ name: "sklearn-inference-env", version: "4", userManagedDependencies: false, environmentVariables: {} });
    expect(s.encryption).toBeUndefined();
    expect(s.vnet).toBeUndefined();
  });

  it("never keeps a key or certificate, only that one was set", () => {
    const doc = { ...mms(), sslEnabled: true, sslCertificate: "-----BEGIN CERTIFICATE-----\nMIIB", sslKey: "-----BEGIN PRIVATE KEY-----\nMIIE" };
    const s = parseServiceJson(doc, "svc.json");
    expect(s.tls).toEqual({ enabled: true, customCertificate: true });
    expect(JSON.stringify(s)).not.toContain("BEGIN");
  });

  it("takes SDK v1 defaults for what is unset, and ignores unknown fields", () => {
    const s = parseServiceJson({ name: "tiny", computeType: "ACI", someFutureField: { x: 1 } }, "tiny.json");
    expect(s).toMatchObject({ cpu: 0.1, memoryGb: 0.5, authEnabled: false, appInsightsEnabled: false, tls: { enabled: false }, models: [] });
  });

  it("reads CMK, VNet, data collection, GPU and an image-based service", () => {
    const s = parseServiceJson(
      {
        ...mms(),
        encryptionProperties: { vaultBaseUrl: "https://kv.vault.azure.net", keyName: "k1", keyVersion: "v1" },
        vnetConfiguration: { vnetName: "vnet", subnetName: "aci" },
        dataCollection: { storageEnabled: true },
        containerResourceRequirements: { cpu: 1, memoryInGB: 4, gpu: 1 },
        environmentImageRequest: null,
        imageId: "legacy-image:3",
        imageDetails: { imageLocation: "myacr.azurecr.io/legacy-image:3" },
      },
      "svc.json",
    );
    expect(s.encryption).toEqual({ vaultBaseUrl: "https://kv.vault.azure.net", keyName: "k1", keyVersion: "v1" });
    expect(s.vnet).toEqual({ vnetName: "vnet", subnetName: "aci" });
    expect(s.dataCollection.storageEnabled).toBe(true);
    expect(s.gpu).toBe(1);
    expect(s.environment).toBeUndefined();
    expect(s.image).toEqual({ id: "legacy-image:3", location: "myacr.azurecr.io/legacy-image:3" });
  });
});

describe("parseServiceJson: other shapes of the same service", () => {
  it("reads what `az ml service show` prints (tags, environmentDetails, modelDetails)", () => {
    const m = mms();
    const request = m.environmentImageRequest as { environment: unknown };
    const shown = {
      name: "sklearn-aci-svc",
      tags: { team: "risk" },
      state: "Unhealthy",
      computeType: "ACI",
      containerResourceRequirements: { cpu: 0.5, memoryInGB: 1 },
      authEnabled: false,
      environmentDetails: request.environment,
      modelDetails: [
        { name: "a", version: 1, id: "a:1" },
        { name: "b", version: 4, id: "b:4" },
      ],
      encryptionProperties: null,
      vnetConfiguration: null,
    };
    const s = parseServiceJson(shown, "show.json");
    expect(s).toMatchObject({ state: "Unhealthy", tags: { team: "risk" }, cpu: 0.5, memoryGb: 1, authEnabled: false });
    expect(s.models.map((x) => x.id)).toEqual(["a:1", "b:4"]);
    expect(s.environment?.name).toBe("sklearn-inference-env");
  });

  it("reads the ARM resource shape (fields under properties)", () => {
    const { name, ...rest } = mms();
    const s = parseServiceJson(
      { id: "/subscriptions/x/…/services/arm-svc", name: "arm-svc", type: "Microsoft.MachineLearningServices/workspaces/services", properties: rest },
      "arm.json",
    );
    expect(s.name).toBe("arm-svc");
    expect(name).toBe("sklearn-aci-svc");
    expect(s.cpu).toBe(1);
  });

  it("reads an x-ms-example: its response body (the service's state) rather than the request", () => {
    const s = parseServiceJson(readJson("test/fixtures/reference/arm-2021-01-01-createOrUpdateService.aci.example.json"), "create.json");
    // The request asks for 1 CPU / 1 GB; the response (what the service is) says 0.1 / 0.5 and Transitioning.
    expect(s).toMatchObject({ name: "service456", cpu: 0.1, memoryGb: 0.5, state: "Transitioning", location: "eastus2" });
    expect(s.models.map((m) => m.id)).toEqual(["sklearn_regression_model1.pkl:2"]);
    expect(s.environment?.name).toBe("AzureML-Scikit-learn-0.20.3");
  });

  it("reads a create request when there is no response (parameters.properties, models by name)", () => {
    const example = readJson("test/fixtures/reference/arm-2021-01-01-createOrUpdateService.aci.example.json") as { parameters: unknown };
    const s = parseServiceJson({ parameters: example.parameters }, "request.json");
    expect(s).toMatchObject({ name: "service456", cpu: 1, memoryGb: 1 });
    expect(s.models.map((m) => m.name)).toEqual(["sklearn_regression_model.pkl"]);
  });
});

describe("parseServiceJson: refusals", () => {
  it("refuses an AKS service with the reason and the way forward", () => {
    const e = thrown(() => parseServiceJson(readJson("test/fixtures/reference/getService.json"), "getService.json"));
    expect(e.message).toContain('Service "service123" runs on Azure Kubernetes Service');
    expect(e.message).toContain("getService.json");
    expect(e.details.why).toMatch(/Kubernetes online endpoints/);
    expect(e.details.field).toBe("properties.computeType");
    expect(e.details.kind).toBe("input");
  });

  it("refuses a list with the services it holds", () => {
    const e = thrown(() => parseServiceJson(readJson("test/fixtures/reference/getServices.json"), "getServices.json"));
    expect(e.message).toMatch(/holds a list of \d+ services?/);
    expect(e.details.why).toContain("service123 (AKS)");
  });

  it.each([
    [{ name: "s", computeType: "ACI", containerResourceRequirements: { cpu: "lots" } }, "containerResourceRequirements.cpu", "a number"],
    [{ name: "s", computeType: "ACI", authEnabled: "yes" }, "authEnabled", "true or false"],
    [{ name: "s", computeType: "ACI", kvTags: ["a"] }, "kvTags", "an object"],
    [{ name: "s", computeType: "ACI", models: [{ name: 5 }] }, "models[0].name", "a string"],
    [{ name: "s", computeType: "ACI", state: "Sleeping" }, "state", "one of Healthy"],
    [{ name: "s", computeType: "ACI", containerResourceRequirements: { memoryInGB: 0 } }, "containerResourceRequirements.memoryInGB", "greater than 0"],
    [{ computeType: "ACI" }, "name", "the service name"],
    [{ name: "s" }, "computeType", "ACI"],
  ])("a wrong value names its field path: %j", (doc, field, expected) => {
    const e = thrown(() => parseServiceJson(doc, "bad.json"));
    expect(e.message).toContain(`"${field}"`);
    expect(e.message).toContain("bad.json");
    expect(e.message).toContain(expected);
    expect(e.details.field).toBe(field);
  });

  it("refuses a document that is not an object", () => {
    expect(thrown(() => parseServiceJson([1, 2], "list.json")).message).toContain("does not hold an object");
  });
});
