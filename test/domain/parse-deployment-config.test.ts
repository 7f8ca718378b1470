import { describe, expect, it } from "vitest";
import { UserFixableError } from "../../src/domain/errors.js";
import { parseDeploymentConfig, parseInferenceConfig } from "../../src/domain/parse-deployment-config.js";
import { readJson, readYaml } from "../helpers/fixtures.js";

describe("parseDeploymentConfig", () => {
  it("reads the v1 CLI JSON the way Microsoft's docs write it", () => {
    const doc = {
      computeType: "aci",
      containerResourceRequirements: { cpu: 0.5, memoryInGB: 1.0 },
      authEnabled: true,
      sslEnabled: false,
      appInsightsEnabled: false,
    };
    const s = parseDeploymentConfig(doc, "deploymentconfig.json", { serviceName: "my-svc" });
    expect(s).toMatchObject({ origin: "deployment-config", name: "my-svc", cpu: 0.5, memoryGb: 1, authEnabled: true, modelsKnown: false, models: [] });
    expect(s.state).toBeUndefined();
  });

  it("takes SDK v1 defaults for an empty ACI config (cpu 0.1, memory 0.5 GB, auth off)", () => {
    const s = parseDeploymentConfig({ computeType: "ACI" }, "dc.json");
    expect(s).toMatchObject({ cpu: 0.1, memoryGb: 0.5, authEnabled: false, appInsightsEnabled: false, name: "aci-service" });
  });

  it("reads YAML with Python-style booleans", () => {
    const s = parseDeploymentConfig(readYaml("samples/v1-cli-yaml/deploymentconfig.yml"), "deploymentconfig.yml");
    expect(s).toMatchObject({ cpu: 1, memoryGb: 1, authEnabled: false, appInsightsEnabled: true });
  });

  it("reads every documented ACI key, keeping no secret", () => {
    const s = parseDeploymentConfig(
      {
        computeType: "ACI",
        containerResourceRequirements: { cpu: "2", memoryInGB: "4" },
        authEnabled: "True",
        primaryKey: "p-secret",
        secondaryKey: "s-secret",
        sslEnabled: true,
        sslCertificate: "cert.pem",
        sslKey: "key.pem",
        cname: "score.contoso.com",
        dnsNameLabel: "contoso-score",
        appInsightsEnabled: true,
        location: "westeurope",
        tags: { team: "x", build: 42 },
        encryptionProperties: { vaultBaseUrl: "https://kv", keyName: "k", keyVersion: "1" },
        vnetConfiguration: { vnetName: "v", subnetName: "s" },
      },
      "dc.json",
    );
    expect(s).toMatchObject({
      cpu: 2,
      memoryGb: 4,
      authEnabled: true,
      keysPinned: true,
      tls: { enabled: true, customCertificate: true },
      cname: "score.contoso.com",
      dnsNameLabel: "contoso-score",
      location: "westeurope",
      tags: { team: "x", build: "42" },
      encryption: { keyName: "k" },
      vnet: { vnetName: "v", subnetName: "s" },
    });
    expect(JSON.stringify(s)).not.toContain("secret");
  });

  it("refuses AKS with the reason", () => {
    expect(() => parseDeploymentConfig({ computeType: "aks", autoScaler: {} }, "dc.json", { serviceName: "k" })).toThrow(/runs on Azure Kubernetes Service/);
  });

  it("names the field path of a wrong type", () => {
    try {
      parseDeploymentConfig({ computeType: "ACI", containerResourceRequirements: { memoryInGB: [4] } }, "deploy/dc.yml");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UserFixableError);
      expect((e as Error).message).toBe('deploy/dc.yml: field "containerResourceRequirements.memoryInGB" should be a number, but it is a list.');
    }
  });
});

describe("parseInferenceConfig", () => {
  it("reads the current shape with an inline environment", () => {
    const ic = parseInferenceConfig(readJson("samples/v1-cli-json/inferenceconfig.json"), "inferenceconfig.json");
    expect(ic).toMatchObject({ entryScript: "score.py", sourceDirectory: "./src" });
    expect(ic.environment).toMatchObject({
      name: "credit-scoring-env",
      version: "3",
      environmentVariables: { EXAMPLE_ENV_VAR: "EXAMPLE_VALUE", MODEL_THRESHOLD: "0.42" },
    });
  });

  it("reads the legacy shape (runtime, condaFile) and leaves reading the conda file to the caller", () => {
    const ic = parseInferenceConfig(readYaml("samples/v1-cli-yaml/inferenceconfig.yml"), "inferenceconfig.yml");
    expect(ic).toMatchObject({ entryScript: "score.py", condaFile: "myenv.yml", sourceDirectory: "." });
    const s = parseDeploymentConfig({ computeType: "ACI" }, "dc.yml", { inference: ic, condaDependencies: readYaml("samples/v1-cli-yaml/myenv.yml") });
    expect(s.environment?.condaDependencies).toMatchObject({ name: "project_environment" });
  });

  it.each([
    ["my-env:4", { name: "my-env", version: "4" }],
    ["azureml:my-env:4", { name: "my-env", version: "4" }],
    ["my-env", { name: "my-env", version: undefined }],
  ])("reads a registered environment written as %s", (text, expected) => {
    expect(parseInferenceConfig({ entryScript: "score.py", environment: text }, "ic.json").environment).toMatchObject(expected);
  });
});
