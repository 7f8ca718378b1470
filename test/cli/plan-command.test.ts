import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runBin } from "../helpers/run-bin.js";
import { documented } from "../helpers/json-schema.js";

/** The fields `plan --json` promises (issue #2). */
function expectPlanJson(json: Record<string, any>) {
  expect(typeof json.service).toBe("string");
  expect(typeof json.endpointName).toBe("string");
  expect(typeof json.deploymentName).toBe("string");
  expect(json.sku).toEqual(
    expect.objectContaining({ name: expect.any(String), source: expect.stringMatching(/^(table|fallback|override)$/), rationale: expect.any(String) }),
  );
  expect(Number.isInteger(json.instanceCount)).toBe(true);
  expect(["Key", "AMLToken", "AADToken"]).toContain(json.authMode);
  expect(typeof json.keysCarried).toBe("boolean");
  expect(Number.isInteger(json.requestTimeoutMs)).toBe(true);
  for (const f of json.findings)
    expect(f).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        severity: expect.stringMatching(/^(blocker|warning|info)$/),
        message: expect.any(String),
        remedy: expect.any(String),
      }),
    );
  expect(json.quota).toEqual(expect.objectContaining({ family: expect.any(String), cores: expect.any(Number) }));
  expect(json.cost).toEqual(expect.objectContaining({ aciMonthlyUsd: expect.any(Number), managedMonthlyUsd: expect.any(Number) }));
}

const ids = (json: { findings: { id: string }[] }) => json.findings.map((f) => f.id);

describe("plan --json on the reference samples", () => {
  it("the model-management service JSON", async () => {
    const r = await runBin(["plan", "--service-json", "test/fixtures/reference/mms-aci-service.synthesized.json", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const json = documented(r.stdout, "plan");
    expectPlanJson(json);
    expect(json).toMatchObject({
      service: "sklearn-aci-svc",
      endpointName: "sklearn-aci-svc-online",
      deploymentName: "blue",
      authMode: "Key",
      keysCarried: true,
      requestTimeoutMs: 60000,
      instanceCount: 1,
    });
    expect(json.sku).toMatchObject({ name: "Standard_D2a_v4", source: "fallback" });
    expect(json.quota).toEqual(expect.objectContaining({ family: "standardDAv4Family", cores: 4 }));
    expect(ids(json)).toEqual(expect.arrayContaining(["sku-outside-table", "few-instances", "keys-carried", "request-timeout-raised", "app-insights-copied"]));
  });

  it("the ARM create example", async () => {
    const r = await runBin(["plan", "--service-json", "test/fixtures/reference/arm-2021-01-01-createOrUpdateService.aci.example.json", "--json"]);
    expect(r.code).toBe(0);
    const json = documented(r.stdout, "plan");
    expectPlanJson(json);
    expect(json.sku).toMatchObject({ name: "Standard_DS1_v2", source: "table", tableRow: 1 });
    expect(json.blockers).toEqual(["service-not-healthy"]); // the example's state is Transitioning
  });

  it("an AKS service is refused: exit 2, one message naming the file and field", async () => {
    const r = await runBin(["plan", "--service-json", "test/fixtures/reference/getService.json", "--json"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(""); // under --json the error is JSON on stderr
    const { error } = documented(r.stderr, "error");
    expect(error).toMatchObject({ code: "bad-input", next: expect.any(String), field: "properties.computeType" });
    expect(error.message).toContain("test/fixtures/reference/getService.json");
    expect(error.message).toContain('"properties.computeType"');
    const text = await runBin(["plan", "--service-json", "test/fixtures/reference/getService.json"]);
    expect(text.stderr).toMatch(/Next: /);
  });
});

describe("plan from v1 CLI files as repositories keep them", () => {
  it("deploymentconfig.json + inferenceconfig.json (inline environment)", async () => {
    const r = await runBin([
      "plan",
      "--deployment-config",
      "samples/v1-cli-json/deploymentconfig.json",
      "--inference-config",
      "samples/v1-cli-json/inferenceconfig.json",
      "--service-name",
      "credit-aci",
      "--model",
      "credit-model:7",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const json = documented(r.stdout, "plan");
    expectPlanJson(json);
    expect(json).toMatchObject({ service: "credit-aci", endpointName: "credit-aci-online", keysCarried: true, appInsightsEnabled: true });
    expect(json.sku).toMatchObject({ name: "Standard_DS2_v2", source: "table", tableRow: 3, alternative: { name: "Standard_D2a_v4" } });
    expect(json.environmentVariables).toEqual({ EXAMPLE_ENV_VAR: "EXAMPLE_VALUE", MODEL_THRESHOLD: "0.42" });
    expect(json.model).toEqual({ kind: "registered", name: "credit-model", version: "7" });
    expect(ids(json)).not.toContain("model-unknown");
    expect(json.cost.aciMonthlyUsd).toBeGreaterThan(0);
  });

  it("deploymentconfig.yml + legacy inferenceconfig.yml with a condaFile that lacks the inference server", async () => {
    const r = await runBin([
      "plan",
      "--deployment-config",
      "samples/v1-cli-yaml/deploymentconfig.yml",
      "--inference-config",
      "samples/v1-cli-yaml/inferenceconfig.yml",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const json = documented(r.stdout, "plan");
    expectPlanJson(json);
    expect(json.sku).toMatchObject({ name: "Standard_DS1_v2", source: "table" });
    expect(json.blockers).toEqual(["missing-inference-server"]);
    expect(ids(json)).toEqual(expect.arrayContaining(["auth-none-to-key", "model-unknown", "app-insights-copied"]));
    expect(json.keysCarried).toBe(false);
  });

  it("a bare deploymentconfig.json the way Microsoft's docs show it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aci-migrate-"));
    const file = join(dir, "deploymentconfig.json");
    await writeFile(
      file,
      '\uFEFF{\n    "computeType": "aci",\n    "containerResourceRequirements":\n    {\n        "cpu": 0.5,\n        "memoryInGB": 1.0\n    },\n    "authEnabled": true,\n    "sslEnabled": false,\n    "appInsightsEnabled": false\n}\n',
    );
    const r = await runBin(["plan", "--deployment-config", file, "--json"]);
    expect(r.code).toBe(0);
    const json = documented(r.stdout, "plan");
    expectPlanJson(json);
    expect(json.sku).toMatchObject({ name: "Standard_DS1_v2", source: "table" });
    expect(ids(json)).toEqual(expect.arrayContaining(["environment-unknown", "model-unknown"]));
  });
});

describe("plan: bad input exits 2 with one message naming the file and field", () => {
  it.each([
    [["--service-json", "no/such/file.json"], /Cannot read the service JSON no\/such\/file\.json: no such file/],
    [["--instances", "abc", "--service-json", "samples/service-sklearn-1cpu-2gb.json"], /--instances.*expected a whole number/],
    [
      ["--instances", "0", "--service-json", "samples/service-sklearn-1cpu-2gb.json"],
      /--instances: The instance count must be a whole number from 1 to 50 \(got 0\)/,
    ],
    [["--timeout-ms", "200000", "--service-json", "samples/service-sklearn-1cpu-2gb.json"], /--timeout-ms: .*180000/],
    [["--sku", "Standard_B2s", "--service-json", "samples/service-sklearn-1cpu-2gb.json"], /--sku: "Standard_B2s" is not a VM size/],
    [["--endpoint-name", "x", "--service-json", "samples/service-sklearn-1cpu-2gb.json"], /--endpoint-name: .*at least 3/],
    [["--auth-mode", "Basic", "--service-json", "samples/service-sklearn-1cpu-2gb.json"], /--auth-mode.*Basic.*Allowed choices are Key, AMLToken, AADToken/],
    [[], /No service to plan from/],
    [
      ["--service-json", "samples/service-sklearn-1cpu-2gb.json", "--deployment-config", "samples/v1-cli-json/deploymentconfig.json"],
      /Both --service-json and --deployment-config/,
    ],
  ])("%j", async (args, message) => {
    const r = await runBin(["plan", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("a syntax error gives the file and position", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aci-migrate-"));
    await writeFile(join(dir, "svc.json"), '{ "name": "x", "computeType": "ACI", }');
    await writeFile(join(dir, "dc.yml"), "computeType: ACI\ncontainerResourceRequirements:\n  cpu: [1\n");
    const json = await runBin(["plan", "--service-json", join(dir, "svc.json")]);
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/svc\.json is not valid JSON: .*position \d+/);
    const yaml = await runBin(["plan", "--deployment-config", join(dir, "dc.yml")]);
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toMatch(/dc\.yml is not valid YAML or JSON: .* at line \d+, column \d+/);
  });

  it("a wrong type names the field path", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aci-migrate-"));
    await writeFile(join(dir, "deploymentconfig.yml"), "computeType: ACI\ncontainerResourceRequirements:\n  cpu: one\n");
    const r = await runBin(["plan", "--deployment-config", join(dir, "deploymentconfig.yml"), "--json"]);
    expect(r.code).toBe(2);
    const { error } = documented(r.stderr, "error");
    expect(error.message).toContain(
      `${join(dir, "deploymentconfig.yml")}: field "containerResourceRequirements.cpu" should be a number, but it is the text "one".`,
    );
    expect(error.field).toBe("containerResourceRequirements.cpu");
  });
});

describe("plan --out", () => {
  it("writes a folder that deploys as written: the YAML, the code from the inference config's source directory, environment.yml and a README", async () => {
    const out = await mkdtemp(join(tmpdir(), "aci-migrate-out-"));
    try {
      const r = await runBin([
        "plan",
        "--deployment-config",
        "samples/v1-cli-json/deploymentconfig.json",
        "--inference-config",
        "samples/v1-cli-json/inferenceconfig.json",
        "--model",
        "credit-model:7",
        "--out",
        out,
        "--json",
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect([...documented(r.stdout, "plan").files].sort()).toEqual(
        ["endpoint.yml", "deployment.yml", "sample-request.json", "conda.yaml", "environment.yml", "README.md"]
          .map((f) => join(out, f))
          .concat(`${join(out, "code")}/`)
          .sort(),
      );
      const endpoint = parse(await readFile(join(out, "endpoint.yml"), "utf8"));
      const deployment = parse(await readFile(join(out, "deployment.yml"), "utf8"));
      expect(endpoint).toMatchObject({ name: "aci-service-online", auth_mode: "key" });
      // The inference config defines its environment inline: registered from environment.yml, then named.
      expect(deployment).toMatchObject({
        endpoint_name: "aci-service-online",
        model: "azureml:credit-model:7",
        environment: "azureml:credit-scoring-env:3",
        instance_type: "Standard_DS2_v2",
        code_configuration: { code: "./code", scoring_script: "score.py" },
      });
      expect(parse(await readFile(join(out, "environment.yml"), "utf8"))).toMatchObject({ name: "credit-scoring-env", version: "3", conda_file: "conda.yaml" });
      expect(await readFile(join(out, "code", "score.py"), "utf8")).toBe(await readFile("samples/v1-cli-json/src/score.py", "utf8"));
      expect(await readFile(join(out, "README.md"), "utf8")).toContain("az ml environment create -f environment.yml");
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("refuses, writing nothing, when the scoring code is not at hand", async () => {
    const out = join(await mkdtemp(join(tmpdir(), "aci-migrate-out-")), "moe");
    try {
      const r = await runBin(["plan", "--service-json", "samples/service-sklearn-1cpu-2gb.json", "--out", out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("--code-dir");
      expect(existsSync(out)).toBe(false);
    } finally {
      await rm(dirname(out), { recursive: true, force: true });
    }
  });
});

describe("plan review text", () => {
  it("groups findings by severity and shows the table, quota and cost", async () => {
    const r = await runBin(["plan", "--service-json", "samples/service-sklearn-1cpu-2gb.json"]);
    expect(r.code).toBe(0);
    const text = r.stdout;
    for (const heading of ["Findings", "Plan", "Microsoft's ACI → VM size table", "Quota", "Cost"]) expect(text).toContain(heading);
    expect(text.indexOf("WARNING")).toBeLessThan(text.indexOf("INFO"));
    expect(text).toContain("No row was used: the fallback chose Standard_D2a_v4.");
    expect(text).toBe(stripVTControlCharacters(text)); // no colour codes when not a TTY
  });

  it("marks the matched row of the table", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aci-migrate-"));
    await writeFile(join(dir, "dc.json"), JSON.stringify({ computeType: "ACI", containerResourceRequirements: { cpu: 2, memoryInGB: 4 } }));
    const r = await runBin(["plan", "--deployment-config", join(dir, "dc.json")]);
    expect(r.stdout).toMatch(/▶\s+3\s+\(1, 2\]\s+\(1\.7, 4\.7\]\s+DS2 V2 \(Standard_DS2_v2\)/);
    expect(r.stdout).toContain("Cheaper fit: Standard_D2a_v4");
  });
});

describe("plan of a live service asks its region, as the review does", () => {
  it("a name taken in the region is a blocker with a free one to use; planned under that name it is not", { timeout: 60_000 }, async () => {
    const taken = await runBin(["--sandbox", "plan", "-w", "ml-prod-eastus", "--service", "fraud-detector", "--json"]);
    expect(taken.code, taken.stderr).toBe(0);
    const plan = JSON.parse(taken.stdout);
    expect(plan.blockers).toContain("endpoint-name-taken");
    expect(plan.findings.find((f: { id: string }) => f.id === "endpoint-name-taken").remedy).toContain("--endpoint-name fraud-detector-online-2");
    const renamed = await runBin([
      "--sandbox",
      "plan",
      "-w",
      "ml-prod-eastus",
      "--service",
      "fraud-detector",
      "--endpoint-name",
      "fraud-detector-online-2",
      "--json",
    ]);
    expect(JSON.parse(renamed.stdout).blockers).not.toContain("endpoint-name-taken");
  });
});
