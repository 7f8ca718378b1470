import { describe, expect, it } from "vitest";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";
import { documentedStream } from "../helpers/json-schema.js";

// Enough quota for the whole batch workspace (23 services), so --all is limited only by --concurrency.
const sandbox = useAttachedSandbox({ speed: 400 }, (sb) => {
  for (const q of sb.world.quotaLimits) q.limit = 10_000;
});
const cli = (...args: string[]) => runBin(["--sandbox", "--state-dir", sandbox.stateDir, ...args]);

describe("aci-migrate migrate --all", { timeout: 240_000 }, () => {
  it("migrates every healthy ACI service of the workspace, at most 4 at a time", async () => {
    const r = await cli("migrate", "--workspace", "ml-batch-eastus", "--all", "--concurrency", "4", "--yes", "--json");
    expect(r.code).toBe(0);
    const { result: final } = documentedStream(r.stdout);
    expect(final.status).toBe("done");
    expect(final.services).toHaveLength(23);
    expect(final.services.every((s: { status: string }) => s.status === "migrated")).toBe(true);
    // No more than four deployments were provisioning at any moment.
    const deployments = sandbox.sb.world.operations.filter((o) => o.kind === "deployment-create");
    expect(deployments).toHaveLength(23);
    const overlap = Math.max(
      ...deployments.map((d) => deployments.filter((o) => o.startedAtMs <= d.startedAtMs && d.startedAtMs < o.startedAtMs + o.durationMs).length),
    );
    expect(overlap).toBeLessThanOrEqual(4);
    expect(overlap).toBeGreaterThan(1);
  });

  it("--all with --service, or neither, is bad input", async () => {
    expect((await cli("migrate", "--workspace", "ml-batch-eastus", "--all", "--service", "x", "--yes")).code).toBe(2);
    const neither = await cli("migrate", "--workspace", "ml-batch-eastus", "--yes");
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain("Neither --service nor --all was given");
  });
});
