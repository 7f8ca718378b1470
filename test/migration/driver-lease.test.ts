import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { publishConnection } from "../../src/cli/sandbox-connection.js";
import { repoPath } from "../helpers/fixtures.js";
import { runBin } from "../helpers/run-bin.js";
import { startAttachedSandbox } from "../helpers/sandbox.js";

/**
 * Two machines, one service: each process has its own state directory (its own journal and lock files), so
 * only the lease on the service's blob in the workspace's storage keeps them from driving it at once.
 */
async function twoMachines(speed: number) {
  const sandbox = await startAttachedSandbox({ speed });
  const other = mkdtempSync(join(tmpdir(), "aci-migrate-other-machine-"));
  publishConnection(other, sandbox.sb, speed);
  return {
    sandbox,
    dirs: [sandbox.stateDir, other] as const,
    migrate: (dir: string, service: string) =>
      runBin(["--sandbox", "--state-dir", dir, "migrate", "-w", "ml-prod-eastus", "--service", service, "--yes", "--json"]),
    stop: async () => {
      rmSync(other, { recursive: true, force: true });
      await sandbox.stop();
    },
  };
}

const REFUSED = /Another aci-migrate drives (\S+) now: session (\d{8}-\d{6}-[0-9a-f]{4}) of \S+ on \S+\./;

describe("one driver per service across machines: a blob lease in the workspace's storage", () => {
  it(
    "two processes race for one service in 10 rounds: each round one endpoint and one deployment are made, and a loser is told who drives",
    { timeout: 240_000 },
    async () => {
      const m = await twoMachines(2000);
      try {
        const world = m.sandbox.sb.world;
        const creates = (kind: string) => world.operations.filter((o) => o.kind === kind && o.target.includes("/onlineendpoints/churn-keyauth-online")).length;
        let refusals = 0;
        for (let round = 1; round <= 10; round++) {
          const before = { endpoint: creates("endpoint-create"), deployment: creates("deployment-create") };
          const results = await Promise.all(m.dirs.map((dir) => m.migrate(dir, "churn-keyauth")));
          expect(
            results.some((r) => r.code === 0),
            `round ${round}: ${results.map((r) => r.stderr).join("\n")}`,
          ).toBe(true);
          for (const r of results.filter((x) => x.code !== 0)) {
            const refused = REFUSED.exec(r.stdout + r.stderr);
            if (refused) refusals++;
            expect(refused?.[1], `round ${round}: ${r.stdout.slice(-600)}${r.stderr}`).toBe("churn-keyauth");
          }
          expect([creates("endpoint-create") - before.endpoint, creates("deployment-create") - before.deployment], `round ${round}`).toEqual([1, 1]);
          expect(world.endpoints.filter((e) => e.name === "churn-keyauth-online")).toHaveLength(1);
          expect(world.deployments.filter((d) => d.endpoint === "churn-keyauth-online")).toHaveLength(1);
          // Next round from scratch: the endpoint goes (as a rollback would), the v1 service stays.
          world.deployments.splice(0, world.deployments.length, ...world.deployments.filter((d) => d.endpoint !== "churn-keyauth-online"));
          world.endpoints.splice(0, world.endpoints.length, ...world.endpoints.filter((e) => e.name !== "churn-keyauth-online"));
        }
        expect(refusals).toBeGreaterThan(0);
      } finally {
        await m.stop();
      }
    },
  );

  it(
    "the driver killed with -9: the other is refused while its lease lasts, then takes over and finishes with one endpoint and one deployment",
    { timeout: 180_000 },
    async () => {
      const m = await twoMachines(2000); // deployments take a third of a second; a 60 s lease still lasts 3 s (leasePace)
      try {
        const env = { ...process.env };
        delete env.CI;
        const args = ["--sandbox", "--state-dir", m.dirs[0], "migrate", "-w", "ml-prod-eastus", "--service", "iris-noauth", "--yes", "--json"];
        const child = spawn(process.execPath, [repoPath("bin/aci-migrate.js"), ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
        let first = "";
        await new Promise<void>((resolve) => {
          createInterface({ input: child.stdout! }).on("line", (line) => {
            const e = JSON.parse(line).event as { type: string; step?: string; sessionId?: string } | undefined;
            if (e?.type === "session-started") first = e.sessionId!;
            if (e?.type === "step-started" && e.step === "deployment") {
              child.kill("SIGKILL");
              resolve();
            }
          });
          child.once("close", () => resolve());
        });
        expect(first).not.toBe("");
        const refused = await m.migrate(m.dirs[1], "iris-noauth");
        expect(refused.code, refused.stderr).toBe(1);
        expect(REFUSED.exec(refused.stdout + refused.stderr)?.[2]).toBe(first);
        await new Promise((r) => setTimeout(r, 3_500));
        const taken = await m.migrate(m.dirs[1], "iris-noauth");
        expect(taken.code, taken.stdout.slice(-1500) + taken.stderr).toBe(0);
        const world = m.sandbox.sb.world;
        expect(world.endpoints.filter((e) => e.name === "iris-noauth-online")).toHaveLength(1);
        expect(world.deployments.filter((d) => d.endpoint === "iris-noauth-online")).toHaveLength(1);
        expect(world.endpoints.find((e) => e.name === "iris-noauth-online")!.traffic).toEqual({ blue: 100 });
      } finally {
        await m.stop();
      }
    },
  );
});
