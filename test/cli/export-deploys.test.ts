import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runExportReadme, type Workspace } from "../helpers/az-ml-cli.js";
import { azureMlSchemaProblems } from "../helpers/azureml-schemas.js";
import { DEPLOYMENT_KEYS, ENDPOINT_KEYS, MODEL_KEYS, ENVIRONMENT_KEYS } from "../helpers/az-ml-keys.js";
import { runCliHere } from "../helpers/run-cli.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";
import { BlobContents } from "../../src/sandbox/blob-contents.js";
import { seedWorld } from "../../src/sandbox/seed-world.js";

/**
 * `plan --out` writes a folder that deploys as written: for every seeded migratable service and every sample,
 * each path its YAML names is in the folder, each file has only the keys of Microsoft's current YAML reference and
 * passes Microsoft's vendored schemas (test/fixtures/azureml-schemas),
 * and running its README's commands (as `az` would, through the real SDK clients) creates an endpoint that answers.
 */
const sandbox = useAttachedSandbox({ speed: 1000 }, (sb) => sb.world.quotaLimits.forEach((q) => (q.limit = 5000)));
let root = "";
beforeAll(async () => (root = await mkdtemp(join(tmpdir(), "aci-migrate-export-"))));
afterAll(() => rm(root, { recursive: true, force: true }));

/** What a service needs beyond the plan's defaults: the remedies its findings name. */
const REMEDIES: Record<string, string[]> = {
  "broken-env": ["--environment", "sklearn-inference-env:4"], // missing-inference-server
  "fraud-detector": ["--endpoint-name", "fraud-detector-v2"], // its natural name is taken in eastus
  "v1-import-svc": ["--environment", "sklearn-inference-env:4"], // script-v1-sdk-import: an environment with azureml-core
};
/** Services whose folder deploys as written and whose container then crashes, as on Azure (no flag fixes a syntax error). */
const CRASHES = new Set(["syntax-error-svc"]);

function workspaceOf(name: string): Workspace {
  const ws = sandbox.sb.world.workspaces.find((w) => w.name === name)!;
  return { subscriptionId: ws.subscriptionId, resourceGroup: ws.resourceGroup, workspace: ws.name, location: ws.location };
}

/** Every path a YAML file of the folder names, checked to be in it; and each file's keys against Microsoft's. */
function checkFolder(folder: string): void {
  const deployment = parse(readFileSync(join(folder, "deployment.yml"), "utf8"));
  const endpoint = parse(readFileSync(join(folder, "endpoint.yml"), "utf8"));
  for (const key of Object.keys(deployment)) expect(DEPLOYMENT_KEYS).toContain(key);
  for (const key of Object.keys(endpoint)) expect(ENDPOINT_KEYS).toContain(key);
  expect(azureMlSchemaProblems("deployment", deployment)).toEqual([]);
  expect(azureMlSchemaProblems("endpoint", endpoint)).toEqual([]);
  const named: string[] = [];
  if (deployment.code_configuration)
    named.push(deployment.code_configuration.code, join(deployment.code_configuration.code, deployment.code_configuration.scoring_script));
  if (typeof deployment.environment === "object" && deployment.environment.conda_file) named.push(deployment.environment.conda_file);
  if (existsSync(join(folder, "environment.yml"))) {
    const env = parse(readFileSync(join(folder, "environment.yml"), "utf8"));
    for (const key of Object.keys(env)) expect(ENVIRONMENT_KEYS).toContain(key);
    if (env.conda_file) named.push(env.conda_file);
    expect(deployment.environment).toBe(`azureml:${env.name}:${env.version}`);
  }
  if (existsSync(join(folder, "model.yml"))) {
    const model = parse(readFileSync(join(folder, "model.yml"), "utf8"));
    for (const key of Object.keys(model)) expect(MODEL_KEYS).toContain(key);
    expect(deployment.model).toBe(`azureml:${model.name}:${model.version}`);
  }
  for (const path of named) expect(existsSync(resolve(folder, path)), `${path} is named but not in ${folder}`).toBe(true);
  const readme = readFileSync(join(folder, "README.md"), "utf8");
  for (const file of readme.matchAll(/-f (\S+)|--request-file (\S+)/g)) expect(existsSync(join(folder, file[1] ?? file[2]!))).toBe(true);
}

/** The seeded world's ACI services (what `services` marks migratable), known before the sandbox starts. */
const SEEDED = (() => {
  const world = seedWorld({ nowMs: 0 }, new BlobContents(undefined));
  return world.services
    .filter((s) => s.doc.computeType === "ACI")
    .map((s) => ({ service: s.name, workspace: world.workspaces.find((w) => s.workspace.endsWith(`/${w.name}`))!.name }));
})();

describe("plan --out writes a folder that az ml deploys as written", () => {
  it("covers the seeded world", () => expect(SEEDED.length).toBeGreaterThan(35));

  it.each(SEEDED)("$service ($workspace)", async ({ service, workspace }) => {
    const folder = join(root, workspace, service);
    const r = await runCliHere([
      "--sandbox",
      "--state-dir",
      sandbox.stateDir,
      "plan",
      "-w",
      workspace,
      "--service",
      service,
      "--apply-script-edits",
      ...(REMEDIES[service] ?? []),
      "--out",
      folder,
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    checkFolder(folder);
    if (CRASHES.has(service)) {
      await expect(runExportReadme(sandbox.sb, workspaceOf(workspace), folder)).rejects.toThrow(/ResourceNotReady/);
      return;
    }
    const answer = await runExportReadme(sandbox.sb, workspaceOf(workspace), folder);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  });

  it.each([
    {
      label: "the service JSON sample, with its code folder",
      args: ["--service-json", "samples/service-sklearn-1cpu-2gb.json", "--code-dir", "samples/v1-cli-json/src"],
    },
    {
      label: "the v1 CLI JSON sample (an inline environment it names)",
      args: [
        "--deployment-config",
        "samples/v1-cli-json/deploymentconfig.json",
        "--inference-config",
        "samples/v1-cli-json/inferenceconfig.json",
        "--service-name",
        "credit-aci",
        "--model",
        "credit-model:7",
      ],
    },
    // Its conda file has no inference server (the plan's missing-inference-server blocker): the remedy is another environment.
    {
      label: "the v1 CLI YAML sample (in an environment with the server)",
      args: [
        "--deployment-config",
        "samples/v1-cli-yaml/deploymentconfig.yml",
        "--inference-config",
        "samples/v1-cli-yaml/inferenceconfig.yml",
        "--service-name",
        "churn-aci",
        "--model",
        "churn-model:3",
        "--environment",
        "sklearn-inference-env:4",
      ],
    },
  ])("$label", async ({ label, args }) => {
    const folder = join(root, "samples", label.replace(/\W+/g, "-"));
    const r = await runCliHere(["plan", ...args, "--out", folder, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    checkFolder(folder);
    const answer = await runExportReadme(sandbox.sb, workspaceOf("ml-prod-eastus"), folder);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  });
});

describe("an export deploys what the plan says, blockers included", () => {
  it("the v1 CLI YAML sample as it is: its inline environment (no inference server) is registered anonymously, and the container crashes as on Azure", async () => {
    const folder = join(root, "samples", "as-is");
    const r = await runCliHere([
      "plan",
      "--deployment-config",
      "samples/v1-cli-yaml/deploymentconfig.yml",
      "--inference-config",
      "samples/v1-cli-yaml/inferenceconfig.yml",
      "--service-name",
      "churn-as-is",
      "--model",
      "churn-model:3",
      "--out",
      folder,
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    checkFolder(folder);
    expect(readFileSync(join(folder, "README.md"), "utf8")).toContain("Blockers not yet acknowledged: missing-inference-server");
    await expect(runExportReadme(sandbox.sb, workspaceOf("ml-prod-eastus"), folder)).rejects.toThrow(/ResourceNotReady/);
    expect(sandbox.sb.world.environments.some((e) => e.name === "CliV2AnonymousEnvironment" && e.condaFile?.includes("azureml-core==1.20.0"))).toBe(true);
  });
});

describe("the vendored schema check", () => {
  it("finds what the 2021 schemas refuse, and leaves only the plain code path alone", () => {
    const good = { name: "blue", endpoint_name: "e", instance_type: "Standard_DS2_v2", code_configuration: { code: "./code", scoring_script: "score.py" } };
    expect(azureMlSchemaProblems("deployment", good)).toEqual([]);
    expect(azureMlSchemaProblems("deployment", { ...good, instance_count: "three" })).toEqual(["/instance_count must be number"]);
    expect(azureMlSchemaProblems("endpoint", { name: "e", auth_mode: "password" })).not.toEqual([]);
  });
});
