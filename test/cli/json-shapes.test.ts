import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseFaultSpec } from "../../src/sandbox/index.js";
import { readJson, repoPath } from "../helpers/fixtures.js";
import { documented } from "../helpers/json-schema.js";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";

// Shapes the command tests do not reach on their way, and the promise that docs/json.md and the schema agree.
const sandbox = useAttachedSandbox({ speed: 400, faults: parseFaultSpec("403@Services_QueryById*1") });
const cli = (...args: string[]) => runBin(["--sandbox", "--state-dir", sandbox.stateDir, ...args]);

type Schema = { $defs: Record<string, SchemaNode> };
type SchemaNode = { properties?: Record<string, SchemaNode>; items?: SchemaNode; oneOf?: SchemaNode[]; allOf?: SchemaNode[]; anyOf?: SchemaNode[] };

/** Every property name a schema node defines, however deep. */
function propertyNames(node: SchemaNode | undefined, into = new Set<string>()): Set<string> {
  if (!node || typeof node !== "object") return into;
  for (const [k, v] of Object.entries(node.properties ?? {})) {
    into.add(k);
    propertyNames(v, into);
  }
  for (const child of [node.items, ...(node.oneOf ?? []), ...(node.allOf ?? []), ...(node.anyOf ?? [])]) propertyNames(child, into);
  return into;
}

describe("docs/json.md and docs/schema agree", () => {
  const schema = readJson("docs/schema/aci-migrate.schema.json") as Schema;
  const prose = readFileSync(repoPath("docs/json.md"), "utf8");
  const SHAPES = [
    "error",
    "plan",
    "listSubscriptions",
    "listWorkspaces",
    "services",
    "event",
    "migrateResult",
    "sessions",
    "sessionShow",
    "sessionsForget",
    "retire",
    "skus",
    "sandbox",
    "compare",
    "keys",
  ];

  it("every shape a command prints is in the schema and named in the prose", () => {
    for (const shape of SHAPES) {
      expect(schema.$defs[shape], shape).toBeDefined();
      expect(prose, shape).toContain(`\`${shape}\``);
    }
  });

  it("every field the schema defines is mentioned in the prose", () => {
    const fields = new Set<string>();
    for (const def of Object.values(schema.$defs)) propertyNames(def, fields);
    const missing = [...fields].filter((f) => !new RegExp(`\\b${f}\\b`).test(prose));
    expect(missing).toEqual([]);
  });
});

describe("JSON shapes on the commands' edges", { timeout: 60_000 }, () => {
  it("errors of each kind are one documented object on stderr, stdout empty", async () => {
    // The sandbox refuses the first v1 service read with 403, as a workspace without the read permission does.
    const azure = await cli("plan", "-w", "ml-prod-eastus", "--service", "credit-2cpu-4gb", "--json");
    expect(azure.code).toBe(1);
    expect(azure.stdout).toBe("");
    expect(documented(azure.stderr, "error").error).toMatchObject({ code: "azure", status: 403, requestId: expect.any(String) });

    const bad = await cli("plan", "--service-json", "no-such-file.json", "--json");
    expect(bad.code).toBe(2);
    expect(documented(bad.stderr, "error").error).toMatchObject({ code: "bad-input", source: "no-such-file.json" });

    const refused = await cli("retire", "-w", "ml-prod-eastus", "--service", "churn-keyauth", "--yes", "--json");
    expect(refused.code).toBe(1);
    expect(documented(refused.stderr, "error").error).toMatchObject({ code: "user-fixable", next: expect.stringContaining("--force") });
  });

  it("sessions forget, and skus without a request", async () => {
    expect((await cli("migrate", "-w", "ml-prod-eastus", "--service", "iris-noauth", "--yes")).code).toBe(0);
    const { sessions } = documented((await cli("sessions", "--json")).stdout, "sessions");
    const forgot = await cli("sessions", "forget", sessions[0].id, "--json");
    expect(forgot.code).toBe(0);
    expect(documented(forgot.stdout, "sessionsForget")).toEqual({ schemaVersion: 1, forgotten: sessions[0].id });
    const skus = documented((await runBin(["skus", "--json"])).stdout, "skus");
    expect(skus).toMatchObject({ request: null, suggestion: null });
    expect(skus.catalog.every((s: { fits: unknown }) => s.fits === null)).toBe(true);
  });
});
