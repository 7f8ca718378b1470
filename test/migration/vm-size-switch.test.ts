import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { repoPath } from "../helpers/fixtures.js";
import { documentedStream } from "../helpers/json-schema.js";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";

/**
 * A VM size change is a new deployment beside the old one (Azure cannot change an existing deployment's instance
 * type): created, smoke-tested, given 100% of the traffic, and then the old one is deleted. Killed at any point
 * of that switch, `resume` ends the same way.
 */
const SPEED = 2000;
const sandbox = useAttachedSandbox({ speed: SPEED }, (sb) => sb.world.quotaLimits.forEach((q) => (q.limit = 500)));
const cli = (args: string[]) => runBin(["--sandbox", "--state-dir", sandbox.stateDir, ...args]);
const deploymentsOf = (service: string) => sandbox.sb.world.deployments.filter((d) => d.endpoint === `${service}-online`);
const endpointOf = (service: string) => sandbox.sb.world.endpoints.find((e) => e.name === `${service}-online`);

type Event = { type: string; step?: string; message?: string; sessionId?: string };

function migrateUntil(args: string[], at: (e: Event) => boolean): Promise<{ sessionId: string; killed: boolean }> {
  const env = { ...process.env };
  delete env.CI;
  const child = spawn(process.execPath, [repoPath("bin/aci-migrate.js"), "--sandbox", "--state-dir", sandbox.stateDir, ...args, "--json"], {
    env,
    stdio: ["ignore", "pipe", "ignore"],
  });
  let sessionId = "";
  let killed = false;
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const e = JSON.parse(line).event as Event | undefined;
    if (e?.type === "session-started") sessionId = e.sessionId!;
    if (e && !killed && at(e)) killed = child.kill("SIGKILL");
  });
  return new Promise((resolve) => child.once("exit", () => resolve({ sessionId, killed })));
}

function expectSwitched(service: string, size: string): void {
  const deployments = deploymentsOf(service);
  expect(deployments.map((d) => [d.name, d.properties.instanceType])).toEqual([["green", size]]);
  expect(endpointOf(service)?.traffic).toEqual({ green: 100 });
}

describe("a VM size change: a new deployment beside the old one", () => {
  it(
    "a deployment that failed on one size, run again with another --sku: one deployment on the new size takes all the traffic, the old one is deleted",
    { timeout: 90_000 },
    async () => {
      const first = await cli(["migrate", "-w", "ml-prod-eastus", "--service", "broken-env", "--acknowledge", "missing-inference-server", "--yes", "--json"]);
      expect(first.code).toBe(1);
      expect(deploymentsOf("broken-env").map((d) => d.name)).toEqual(["blue"]);
      const before = String(deploymentsOf("broken-env")[0]!.properties.instanceType);
      const size = before === "Standard_DS3_v2" ? "Standard_DS4_v2" : "Standard_DS3_v2";
      const second = await cli([
        "migrate",
        "-w",
        "ml-prod-eastus",
        "--service",
        "broken-env",
        "--environment",
        "sklearn-inference-env:4",
        "--sku",
        size,
        "--yes",
        "--json",
      ]);
      expect(second.code, second.stderr).toBe(0);
      const { events, result } = documentedStream(second.stdout);
      expect(result.services[0]).toMatchObject({ deploymentName: "green", status: "migrated", smokeTest: { status: "passed" } });
      expect(
        events.some((e) => e.type === "step-progress" && /blue runs on .*, and Azure cannot change a deployment's VM size: creating green/.test(e.message)),
      ).toBe(true);
      expect(events.find((e) => e.type === "step-finished" && e.step === "traffic")?.detail).toBe(
        "100% of the traffic goes to green; deleted blue, which it replaced",
      );
      expectSwitched("broken-env", size);
    },
  );

  const points: { label: string; at: (e: Event) => boolean }[] = [
    { label: "right after the switch is journalled", at: (e) => e.type === "step-progress" && /creating green/.test(e.message ?? "") },
    {
      label: "inside the new deployment's LRO",
      at: (e) => e.type === "step-progress" && e.step === "deployment" && /deployment Creating/.test(e.message ?? ""),
    },
    { label: "as the smoke test starts", at: (e) => e.type === "step-started" && e.step === "smoke-test" },
    { label: "as the traffic moves", at: (e) => e.type === "step-started" && e.step === "traffic" },
    { label: "as the old deployment's deletion starts", at: (e) => e.type === "step-progress" && /^deleting blue/.test(e.message ?? "") },
    { label: "inside the old deployment's deletion", at: (e) => e.type === "step-progress" && /^blue Deleting/.test(e.message ?? "") },
  ];
  for (const [i, point] of points.entries()) {
    const service = `batch-scorer-${String(17 + i).padStart(2, "0")}`;
    it(`SIGKILL ${point.label}, then resume: one deployment on the new size, all the traffic, the old one gone (${service})`, { timeout: 90_000 }, async () => {
      const first = await cli(["migrate", "-w", "ml-batch-eastus", "--service", service, "--yes", "--json"]);
      expect(first.code, first.stderr).toBe(0);
      const size = String(deploymentsOf(service)[0]!.properties.instanceType) === "Standard_F4s_v2" ? "Standard_F8s_v2" : "Standard_F4s_v2";
      const { sessionId, killed } = await migrateUntil(["migrate", "-w", "ml-batch-eastus", "--service", service, "--sku", size, "--yes"], point.at);
      expect(killed, "the kill point was reached").toBe(true);
      const resumed = await cli(["resume", sessionId, "--yes", "--json"]);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(documentedStream(resumed.stdout).result.status).toBe("done");
      expectSwitched(service, size);
    });
  }
});
