import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parse as parseArgs } from "shell-quote";
import { Ajv2020 } from "ajv/dist/2020.js";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";
import { documented } from "../helpers/json-schema.js";
import type { SavedPlan } from "../../src/domain/saved-plan.js";
import { SAVED_PLAN_SCHEMA } from "../../src/domain/saved-plan-schema.js";
import { repoPath } from "../helpers/fixtures.js";

/** `plan --save FILE` then `migrate --plan FILE`: what was reviewed is what is applied, or nothing is. */
const sandbox = useAttachedSandbox({ speed: 2000 });
const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((f) => rmSync(f, { recursive: true, force: true })));
const folder = () => {
  const f = mkdtempSync(join(tmpdir(), "aci-migrate-saved-plans-"));
  folders.push(f);
  return f;
};
const cli = (...args: string[]) => runBin(["--sandbox", "--state-dir", sandbox.stateDir, ...args]);
const creates = (endpoint: string) =>
  sandbox.sb.world.operations.filter((o) => o.kind === "endpoint-create" && o.target.endsWith(`/onlineendpoints/${endpoint}`));

describe("a plan saved for review, then applied exactly", () => {
  it("applies every field of the file: the sandbox's endpoint and deployment match it", async () => {
    const file = join(folder(), "credit.plan.yml");
    const saved = await cli("plan", "-w", "ml-prod-eastus", "--service", "credit-2cpu-4gb", "--instances", "2", "--timeout-ms", "30000", "--save", file);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toContain(`migrate --plan ${file} --yes`);
    const text = readFileSync(file, "utf8");
    expect(text.split("\n")[3]).toBe(`#   aci-migrate --sandbox --state-dir ${sandbox.stateDir} migrate --plan ${file} --yes`);
    const plan = parse(text) as SavedPlan;
    expect(plan).toMatchObject({ kind: "aci-migrate/saved-plan", service: "credit-2cpu-4gb", target: { workspace: "ml-prod-eastus" } });
    expect(plan.basedOn.code).toMatch(/^[0-9a-f]{64}$/);

    const applied = await cli("migrate", "--plan", file, "--yes", "--json");
    expect(applied.code, applied.stdout.slice(-800) + applied.stderr).toBe(0);
    const result = documented(applied.stdout.trim().split("\n").at(-1)!, "migratePlansResult");
    expect(result.plans).toEqual([{ file, workspace: "ml-prod-eastus", service: "credit-2cpu-4gb", status: "migrated", sessionId: expect.any(String) }]);
    const world = sandbox.sb.world;
    const endpoint = world.endpoints.find((e) => e.name === plan.plan.endpointName)!;
    const deployment = world.deployments.find((d) => d.endpoint === plan.plan.endpointName)!;
    expect(endpoint.authMode).toBe(plan.plan.authMode);
    expect(endpoint.traffic).toEqual({ [plan.plan.deploymentName]: 100 });
    expect(endpoint.tags).toMatchObject(plan.plan.tags);
    expect(deployment.name).toBe(plan.plan.deploymentName);
    expect(deployment.properties).toMatchObject({
      instanceType: plan.plan.sku.name,
      requestSettings: { requestTimeout: "PT30S" },
      livenessProbe: { initialDelay: `PT${plan.plan.probes.liveness.initialDelaySeconds}S`, failureThreshold: plan.plan.probes.liveness.failureThreshold },
    });
    expect(deployment.sku).toMatchObject({ capacity: 2 });
    // The code registered is the code the plan was based on (its version is the content hash).
    expect(world.codes.filter((c) => c.name === "credit-2cpu-4gb-code").map((c) => c.version)).toEqual([plan.basedOn.code!.slice(0, 16)]);
    expect(deployment.properties.codeConfiguration).toMatchObject({ scoringScript: plan.plan.code.scoringScript });
  });

  it("a v1 service changed between save and apply is refused with the differences, and nothing is created", async () => {
    const file = join(folder(), "iris.plan.yml");
    expect((await cli("plan", "-w", "ml-prod-eastus", "--service", "iris-noauth", "--save", file)).code).toBe(0);
    const service = sandbox.sb.world.services.find((s) => s.name === "iris-noauth")!;
    const requirements = service.doc.containerResourceRequirements as Record<string, unknown>;
    requirements.cpu = 4;
    requirements.memoryInGB = 16;
    const refused = await cli("migrate", "--plan", file, "--yes", "--json");
    expect(refused.code).toBe(1);
    const error = documented(refused.stderr, "error").error;
    expect(error.message).toBe("A saved plan no longer matches what Azure holds now; nothing was created.");
    expect(error.why).toContain("v1 service: containerResourceRequirements: sha256:");
    expect(error.why).toMatch(/plan: sku: Standard_\w+ → Standard_\w+/);
    expect(creates("iris-noauth-online")).toEqual([]);
    expect(sandbox.sb.world.endpoints.find((e) => e.name === "iris-noauth-online")).toBeUndefined();
    // The command it gives, pasted as printed, saves the plan again over the file; that plan applies.
    const again = /`aci-migrate (.+?)`/.exec(error.next)![1]!;
    expect(again).toContain(
      `plan -s ${sandbox.sb.world.subscriptions[0]!.subscriptionId} -g rg-ml-prod -w ml-prod-eastus --service iris-noauth --save ${file}`,
    );
    expect((await runBin(parseArgs(again) as string[])).code).toBe(0);
    const applied = await cli("migrate", "--plan", file, "--yes");
    expect(applied.code, applied.stderr).toBe(0);
    expect(sandbox.sb.world.deployments.find((d) => d.endpoint === "iris-noauth-online")?.properties.instanceType).toBe(
      (parse(readFileSync(file, "utf8")) as SavedPlan).plan.sku.name,
    );
  });

  it("a file edited out of shape, or flags that would change the plan, are bad input", async () => {
    const dir = folder();
    const file = join(dir, "pricing.plan.yml");
    expect((await cli("plan", "-w", "ml-prod-eastus", "--service", "pricing-tls", "--save", file)).code).toBe(0);
    const withFlag = await cli("migrate", "--plan", file, "--sku", "Standard_F2s_v2", "--yes");
    expect(withFlag.code).toBe(2);
    expect(withFlag.stderr).toContain("--plan applies saved plans exactly, so --sku cannot change them.");
    const broken = join(dir, "broken.plan.yml");
    writeFileSync(broken, readFileSync(file, "utf8").replace(/^ {2}instanceCount: 1$/m, "  instanceCount: many"));
    const bad = await cli("migrate", "--plan", broken, "--yes");
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr).toContain(`${broken} is not a saved plan aci-migrate can apply: plan.instanceCount must be integer.`);
    expect(creates("pricing-tls-online")).toEqual([]);
  });
});

describe("the saved plan's schema", () => {
  it("is published in docs/schema as migrate --plan checks it, and compiles in a strict validator", () => {
    expect(() => new Ajv2020({ strict: true, allowUnionTypes: true }).compile(SAVED_PLAN_SCHEMA)).not.toThrow();
    const published: unknown = JSON.parse(readFileSync(repoPath("docs/schema/saved-plan.schema.json"), "utf8"));
    expect(published, "run `npm run build && node scripts/write-saved-plan-schema.mjs`").toEqual(JSON.parse(JSON.stringify(SAVED_PLAN_SCHEMA)));
  });
});
