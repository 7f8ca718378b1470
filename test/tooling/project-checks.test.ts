import { execFile } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VM_SKUS, ACI_TO_SKU_TABLE } from "../../src/domain/sku-catalog.js";
import { repoPath } from "../helpers/fixtures.js";

function runNode(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: repoPath("") }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

describe("the generated SKU catalog", () => {
  it("is up to date with data/domain/*.csv", async () => {
    const r = await runNode(["scripts/generate-sku-catalog.mjs", "--check"]);
    expect(r.out).toContain("up to date");
    expect(r.code).toBe(0);
  });

  it("holds the 85 SKUs and 7 rows, every price with its source", () => {
    expect(VM_SKUS).toHaveLength(85);
    expect(ACI_TO_SKU_TABLE).toHaveLength(7);
    for (const s of VM_SKUS) {
      expect(s.price.source.length).toBeGreaterThan(0);
      if (s.price.kind === "indicative") expect(s.price.asOf).toBe("2023-07");
      if (s.usdPerHour === null) expect(s.price.kind).toBe("unknown");
    }
  });
});

describe("the house import rules (scripts/check-imports.mjs)", () => {
  async function tree(files: Record<string, string>): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), "house-"));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(root, path, ".."), { recursive: true });
      await writeFile(join(root, path), text);
    }
    return root;
  }

  it("accepts the flow cli → ui → migration → domain", async () => {
    const root = await tree({
      "src/cli/main.ts": 'import { App } from "../ui/app.js";\nimport { render } from "ink";',
      "src/ui/app.ts": 'import { run } from "../migration/engine.js";\nimport React from "react";',
      "src/migration/engine.ts": 'import { buildPlan } from "../domain/plan.js";',
      "src/azure/clients.ts":
        'import { AzureMachineLearningServicesManagementClient } from "@azure/arm-machinelearning";\nimport type { Port } from "../migration/port.js";',
      "src/domain/plan.ts": 'import { Document } from "yaml";',
    });
    const r = await runNode(["scripts/check-imports.mjs", root]);
    expect(r.out).toContain("Import rules hold");
    expect(r.code).toBe(0);
  });

  it("refuses arrows against the flow, @azure outside src/azure, React outside src/ui and I/O in src/domain", async () => {
    const root = await tree({
      "src/domain/plan.ts": 'import { readFile } from "node:fs/promises";\nimport { x } from "../migration/engine.js";',
      "src/migration/engine.ts": 'import { DefaultAzureCredential } from "@azure/identity";\nimport { Box } from "ink";',
      "src/sandbox/server.ts": 'import { client } from "../azure/clients.js";',
    });
    const r = await runNode(["scripts/check-imports.mjs", root]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('src/domain/plan.ts: imports "node:fs/promises": src/domain is pure: no I/O');
    expect(r.out).toContain("src/domain must not import src/migration");
    expect(r.out).toContain('src/migration/engine.ts: imports "@azure/identity"');
    expect(r.out).toContain('src/migration/engine.ts: imports "ink"');
    expect(r.out).toContain("src/sandbox must not import src/azure");
  });
});
