import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { publishConnection } from "../../src/cli/sandbox-connection.js";
import { runBin } from "../helpers/run-bin.js";
import { startAttachedSandbox } from "../helpers/sandbox.js";
import { documented } from "../helpers/json-schema.js";

const SERVICES = ["batch-scorer-01", "batch-scorer-02", "batch-scorer-03", "batch-scorer-04", "batch-scorer-05", "batch-scorer-06"];

/**
 * Many machines, one fleet: a folder of saved plans given to two processes with their own state directories
 * (two machines or CI jobs). Only the services' leases in the workspace's storage and Azure's tags share the work.
 */
describe("migrate --plan DIR on two machines at once", () => {
  it("migrates each of 6 services exactly once; both processes migrate some, and both exit 0", { timeout: 180_000 }, async () => {
    const sandbox = await startAttachedSandbox({ speed: 2000 });
    const other = mkdtempSync(join(tmpdir(), "aci-migrate-other-machine-"));
    const plans = mkdtempSync(join(tmpdir(), "aci-migrate-fleet-plans-"));
    try {
      publishConnection(other, sandbox.sb, 2000);
      for (const service of SERVICES) {
        const saved = await runBin([
          "--sandbox",
          "--state-dir",
          sandbox.stateDir,
          "plan",
          "-w",
          "ml-batch-eastus",
          "--service",
          service,
          "--save",
          join(plans, `${service}.yml`),
        ]);
        expect(saved.code, saved.stderr).toBe(0);
      }
      const runs = await Promise.all(
        [sandbox.stateDir, other].map((dir) => runBin(["--sandbox", "--state-dir", dir, "migrate", "--plan", plans, "--yes", "--json"])),
      );
      for (const r of runs) expect(r.code, r.stdout.slice(-1200) + r.stderr).toBe(0);
      const results = runs.map((r) => documented(r.stdout.trim().split("\n").at(-1)!, "migratePlansResult").plans as { service: string; status: string }[]);
      const migratedBy = results.map((plans) => plans.filter((p) => p.status === "migrated").map((p) => p.service));
      expect(migratedBy[0]!.length, JSON.stringify(results)).toBeGreaterThan(0);
      expect(migratedBy[1]!.length, JSON.stringify(results)).toBeGreaterThan(0);
      expect([...migratedBy[0]!, ...migratedBy[1]!].sort()).toEqual(SERVICES);
      // What the other said of each service it did not migrate: done already.
      for (const plans of results) expect(plans.filter((p) => p.status !== "migrated").every((p) => p.status === "already-migrated")).toBe(true);
      const world = sandbox.sb.world;
      for (const service of SERVICES) {
        const ops = (kind: string) => world.operations.filter((o) => o.kind === kind && o.target.includes(`/onlineendpoints/${service}-online`)).length;
        expect([service, ops("endpoint-create"), ops("deployment-create")]).toEqual([service, 1, 1]);
        expect(world.endpoints.find((e) => e.name === `${service}-online`)?.traffic).toEqual({ blue: 100 });
      }
    } finally {
      rmSync(plans, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
      await sandbox.stop();
    }
  });
});
