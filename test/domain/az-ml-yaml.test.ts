import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { toAzMlYaml } from "../../src/domain/az-ml-yaml.js";
import { buildPlan } from "../../src/domain/plan.js";
import { parseServiceJson } from "../../src/domain/parse-service-json.js";
import { repoPath, readJson } from "../helpers/fixtures.js";
import { quietService } from "../helpers/service.js";
import { DEPLOYMENT_KEYS, ENDPOINT_KEYS, REQUEST_SETTINGS_KEYS } from "../helpers/az-ml-keys.js";

/** Enough of the deployment YAML's shape to read it in assertions. */
type Deployment = Record<string, unknown> & {
  code_configuration: Record<string, unknown>;
  request_settings: Record<string, unknown>;
  environment: unknown;
};

const example = (name: string) => parse(readFileSync(repoPath(`test/fixtures/azureml-examples/${name}`), "utf8")) as Record<string, unknown>;

describe("the key lists match Microsoft's current examples", () => {
  it.each(["blue-deployment.yml", "blue-deployment-with-registered-assets.yml", "blue-deployment-with-curated-env.yml"])("%s", (name) => {
    for (const key of Object.keys(example(name))) expect(DEPLOYMENT_KEYS).toContain(key);
  });
  it("endpoint.yml", () => {
    for (const key of Object.keys(example("endpoint.yml"))) expect(ENDPOINT_KEYS).toContain(key);
  });
});

describe("toAzMlYaml", () => {
  const plan = buildPlan(parseServiceJson(readJson("samples/service-sklearn-1cpu-2gb.json"), "svc.json"), { instanceCount: 3 });
  const files = toAzMlYaml(plan);
  const endpoint = parse(files["endpoint.yml"]) as Record<string, unknown>;
  const deployment = parse(files["deployment.yml"]) as Deployment;

  it("writes an endpoint with only current keys, shaped like Microsoft's endpoint.yml", () => {
    for (const key of Object.keys(endpoint)) expect(ENDPOINT_KEYS).toContain(key);
    expect(endpoint.$schema).toBe(example("endpoint.yml").$schema);
    expect(endpoint).toMatchObject({ name: "sklearn-aci-svc-online", auth_mode: "key", tags: { "migrated-from": "sklearn-aci-svc", team: "risk" } });
  });

  it("writes a deployment with only current keys, shaped like Microsoft's registered-assets sample", () => {
    for (const key of Object.keys(deployment)) expect(DEPLOYMENT_KEYS).toContain(key);
    for (const key of Object.keys(deployment.request_settings)) expect(REQUEST_SETTINGS_KEYS).toContain(key);
    expect(deployment.$schema).toBe(example("blue-deployment.yml").$schema);
    expect(deployment).toMatchObject({
      name: "blue",
      endpoint_name: "sklearn-aci-svc-online",
      model: "azureml:sklearn_regression_model.pkl:2",
      environment: "azureml:sklearn-inference-env:4",
      code_configuration: { code: "./code", scoring_script: "score.py" },
      instance_type: "Standard_D2a_v4",
      instance_count: 3,
      app_insights_enabled: true,
      request_settings: { request_timeout_ms: 60000 },
    });
    // The same shapes as the sample: model and environment as azureml:name:version strings.
    const sample = example("blue-deployment-with-registered-assets.yml");
    expect(typeof deployment.model).toBe(typeof sample.model);
    expect(deployment.model).toMatch(/^azureml:[^:]+:\d+$/);
    expect(Object.keys(deployment.code_configuration).sort()).toEqual(Object.keys(sample.code_configuration as object).sort());
  });

  it("explains its placeholders in comments, and the README says to put the code in first when it is not at hand", () => {
    expect(files["deployment.yml"]).toMatch(/^# .*SKU: /m);
    expect(files["README.md"]).not.toContain("Put the v1 service's scoring code");
    const missing = toAzMlYaml(plan, { codeMissing: true });
    expect(missing["deployment.yml"]).toContain("put the v1 service's scoring code");
    expect(missing["README.md"]).toContain("Put the v1 service's scoring code in `code/`");
  });

  it("writes the README's commands in order, each with the workspace when it is known", () => {
    const readme = toAzMlYaml(plan, { workspace: { resourceGroup: "rg-ml-prod", workspace: "ml-prod-eastus" } })["README.md"];
    const commands = readme
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.startsWith("az "));
    expect(commands).toEqual([
      "az ml online-endpoint create -f endpoint.yml -g rg-ml-prod -w ml-prod-eastus",
      "az ml online-deployment create -f deployment.yml --all-traffic -g rg-ml-prod -w ml-prod-eastus",
      "az ml online-endpoint invoke -n sklearn-aci-svc-online --request-file sample-request.json -g rg-ml-prod -w ml-prod-eastus",
    ]);
    // Without a workspace, the first command sets the defaults the others use.
    expect(files["README.md"]).toContain("az configure --defaults group=RESOURCE_GROUP workspace=WORKSPACE");
  });

  it.each([
    ["Key", "key"],
    ["AMLToken", "aml_token"],
    ["AADToken", "aad_token"],
  ] as const)("writes auth mode %s as %s", (mode, yaml) => {
    expect((parse(toAzMlYaml(buildPlan(quietService(), { authMode: mode }))["endpoint.yml"]) as { auth_mode: string }).auth_mode).toBe(yaml);
  });

  it("copies environment variables and writes an inline environment with its conda file", () => {
    const service = quietService({
      environment: {
        userManagedDependencies: false,
        hasBaseDockerfile: false,
        baseImage: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest",
        condaDependencies: { dependencies: [{ pip: ["azureml-defaults"] }] },
        environmentVariables: { WORKERS: "2" },
      },
    });
    const out = toAzMlYaml(buildPlan(service), { codePath: "../src" });
    const d = parse(out["deployment.yml"]) as Deployment;
    expect(d.environment).toEqual({ image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest", conda_file: "conda.yaml" });
    expect(d.environment_variables).toEqual({ WORKERS: "2" });
    expect(d.code_configuration.code).toBe("../src");
    expect(parse(out["conda.yaml"]!)).toEqual({ dependencies: [{ pip: ["azureml-defaults"] }] });
  });

  it("writes an image-based service as a custom container with v1's routes", () => {
    const d = parse(
      toAzMlYaml(buildPlan(quietService({ environment: undefined, image: { id: "img:1", location: "acr.azurecr.io/img:1" } })))["deployment.yml"],
    ) as Deployment;
    expect(d.environment).toMatchObject({ image: "acr.azurecr.io/img:1", inference_config: { scoring_route: { path: "/score", port: 5001 } } });
  });

  it("writes a combined model as model.yml over the folder the README's copies fill, and the deployment names it", () => {
    const service = quietService({
      models: [
        { name: "a", version: "1", id: "a:1" },
        { name: "b", version: "2", id: "b:2" },
      ],
    });
    const copies = {
      datastore: "workspaceblobstore",
      files: [{ account: "acct", sourceContainer: "c", sourceBlob: "models/a/1/m.json", container: "c", target: "models/a/1/m.json" }],
    };
    const out = toAzMlYaml(buildPlan(service), { modelCopies: copies });
    expect((parse(out["deployment.yml"]) as { model: string }).model).toBe("azureml:quiet-svc-models:1");
    expect(parse(out["model.yml"]!)).toMatchObject({
      name: "quiet-svc-models",
      version: "1",
      type: "custom_model",
      path: "azureml://datastores/workspaceblobstore/paths/aci-migrate/models/quiet-svc-models/export/models/",
    });
    expect(out["README.md"]).toContain(
      "az storage blob copy start --auth-mode key --account-name acct --destination-container c --destination-blob aci-migrate/models/quiet-svc-models/export/models/a/1/m.json --source-account-name acct --source-container c --source-blob models/a/1/m.json",
    );
    expect(out["README.md"].indexOf("az ml model create -f model.yml")).toBeLessThan(out["README.md"].indexOf("az ml online-deployment create"));
  });

  it("writes no code configuration for a custom container from a v1 image", () => {
    const d = parse(
      toAzMlYaml(buildPlan(quietService({ environment: undefined, image: { id: "img:1", location: "acr.azurecr.io/img:1" } })))["deployment.yml"],
    ) as Deployment;
    expect(d.code_configuration).toBeUndefined();
  });
});

describe("probes", () => {
  it("are Azure's documented defaults (moe-limits.csv), written out in the plan and the YAML with current keys", () => {
    const limits = new Map(
      readFileSync(repoPath("data/domain/moe-limits.csv"), "utf8")
        .split("\n")
        .slice(1)
        .filter(Boolean)
        .map((l) => l.split(","))
        .map(([k, v]) => [k!, Number(v)] as const),
    );
    const plan = buildPlan(quietService());
    const expected = {
      initial_delay: limits.get("probe_initial_delay_default"),
      period: limits.get("probe_period_default"),
      timeout: limits.get("probe_timeout_default"),
      failure_threshold: limits.get("probe_failure_threshold_default"),
      success_threshold: limits.get("probe_success_threshold_default"),
    };
    const d = parse(toAzMlYaml(plan)["deployment.yml"]) as Record<string, unknown>;
    expect(d.liveness_probe).toEqual(expected);
    expect(d.readiness_probe).toEqual(expected);
    expect(Object.values(expected).every((v) => typeof v === "number" && v > 0)).toBe(true);
  });
});
