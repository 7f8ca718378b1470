import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { repoPath } from "../helpers/fixtures.js";
import { documented, documentedStream } from "../helpers/json-schema.js";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";

/**
 * A blue/green switch in steps (`--traffic-steps 10,50,100`): the sandbox keeps every traffic change of an
 * endpoint, so the steps are read where Azure would have them; the old deployment is kept, `rollback` moves the
 * traffic back to it, a kill between steps resumes from the step reached, and a resume after the window deletes it.
 */
const sandbox = useAttachedSandbox({ speed: 300 }, (sb) => sb.world.quotaLimits.forEach((q) => (q.limit = 500)));
const cli = (args: string[]) => runBin(["--sandbox", "--state-dir", sandbox.stateDir, ...args]);
const endpointOf = (service: string) => sandbox.sb.world.endpoints.find((e) => e.name === `${service}-online`)!;
const deploymentNames = (service: string) =>
  sandbox.sb.world.deployments
    .filter((d) => d.endpoint === `${service}-online`)
    .map((d) => d.name)
    .sort();
const STEPS = [
  { blue: 90, green: 10 },
  { blue: 50, green: 50 },
  { blue: 0, green: 100 },
];

/** `migrate` of a new VM size for the service, in the three steps, each held `wait`, the old one kept `keep`. */
const switchArgs = (service: string, size: string, wait: string, keep: string) => [
  "migrate",
  "-w",
  "ml-batch-eastus",
  "--service",
  service,
  "--sku",
  size,
  "--traffic-steps",
  "10,50,100",
  "--step-wait",
  wait,
  "--keep-old",
  keep,
  "--yes",
  "--json",
];

/** Migrated once (blue), then a new VM size for it: the switch to make. */
async function migratedOnce(service: string): Promise<string> {
  const first = await cli(["migrate", "-w", "ml-batch-eastus", "--service", service, "--yes", "--json"]);
  expect(first.code, first.stderr).toBe(0);
  const size = String(sandbox.sb.world.deployments.find((d) => d.endpoint === `${service}-online`)!.properties.instanceType);
  return size === "Standard_F4s_v2" ? "Standard_F8s_v2" : "Standard_F4s_v2";
}

describe("a blue/green switch in steps", () => {
  it("moves 10%, 50%, then 100%; keeps blue for the hour; rollback inside it puts the traffic back on blue", { timeout: 120_000 }, async () => {
    const service = "batch-scorer-01";
    const size = await migratedOnce(service);
    const r = await cli(switchArgs(service, size, "1s", "1h"));
    expect(r.code, r.stderr).toBe(0);
    const { events, result } = documentedStream(r.stdout);
    expect(endpointOf(service).trafficHistory!.map((h) => h.traffic)).toEqual([{ blue: 100 }, ...STEPS]);
    expect(deploymentNames(service)).toEqual(["blue", "green"]);
    expect(endpointOf(service).tags["aci-migrate-keep-old"]).toMatch(/^blue until \d{4}-\d\d-\d\dT/);
    expect(events.find((e) => e.type === "step-finished" && e.step === "traffic")?.detail).toMatch(
      /^100% of the traffic goes to green \(in steps of 10, 50, 100%\); blue is kept until \d{4}-/,
    );
    const shown = documented((await cli(["sessions", "show", result.sessionId, "--json"])).stdout, "sessionShow");
    expect(shown.session.services[0].keptOld).toMatchObject({ deployment: "blue", until: expect.any(String) });

    const back = await cli(["rollback", result.sessionId, "--yes", "--json"]);
    expect(back.code, back.stderr).toBe(0);
    expect(documented(back.stdout, "rollback").deleted).toContainEqual(expect.objectContaining({ kind: "deployment", name: "green" }));
    const shares = (traffic: Record<string, number>) => Object.fromEntries(Object.entries(traffic).filter(([, w]) => w > 0));
    expect(shares(endpointOf(service).traffic)).toEqual({ blue: 100 });
    expect(shares(endpointOf(service).trafficHistory!.at(-1)!.traffic)).toEqual({ blue: 100 });
    expect(deploymentNames(service)).toEqual(["blue"]);
  });

  it("killed between steps, resume continues from the step it reached; after the window, resume deletes the old deployment", { timeout: 120_000 }, async () => {
    const service = "batch-scorer-02";
    const size = await migratedOnce(service);
    const env = { ...process.env };
    delete env.CI;
    const args = switchArgs(service, size, "3s", "2s");
    const child = spawn(process.execPath, [repoPath("bin/aci-migrate.js"), "--sandbox", "--state-dir", sandbox.stateDir, ...args], {
      env,
      stdio: ["ignore", "pipe", "ignore"],
    });
    let sessionId = "";
    let killed = false;
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const e = JSON.parse(line).event as { type: string; sessionId?: string; message?: string } | undefined;
      if (e?.type === "session-started") sessionId = e.sessionId!;
      if (e?.type === "step-progress" && e.message?.startsWith("10% of the traffic goes to green") && !killed) killed = child.kill("SIGKILL");
    });
    await new Promise((resolve) => child.once("exit", resolve));
    expect(killed).toBe(true);
    expect(endpointOf(service).traffic).toEqual(STEPS[0]);

    const resumed = await cli(["resume", sessionId, "--yes", "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    // Each step once: the resume went on from 10%, not from the start.
    expect(endpointOf(service).trafficHistory!.map((h) => h.traffic)).toEqual([{ blue: 100 }, ...STEPS]);
    expect(deploymentNames(service)).toEqual(["blue", "green"]);

    await new Promise((r) => setTimeout(r, 2_100));
    const after = await cli(["resume", sessionId, "--yes", "--json"]);
    expect(after.code, after.stderr).toBe(0);
    expect(documentedStream(after.stdout).events.find((e) => e.type === "step-finished" && e.step === "traffic")?.detail).toMatch(
      /^100% of the traffic goes to green; deleted blue, kept until /,
    );
    expect(deploymentNames(service)).toEqual(["green"]);
  });

  it("refuses --step-wait or --keep-old without --traffic-steps, and steps that do not end at 100", async () => {
    const lone = await cli(["migrate", "-w", "ml-batch-eastus", "--service", "batch-scorer-03", "--keep-old", "1h", "--yes", "--json"]);
    expect(lone.code).toBe(2);
    expect(documented(lone.stderr, "error").error.message).toBe("--keep-old says how to move the traffic in steps, but --traffic-steps was not given.");
    const bad = await cli(["migrate", "-w", "ml-batch-eastus", "--service", "batch-scorer-03", "--traffic-steps", "10,50", "--yes"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("expected rising percentages from 1 to 100 that end at 100, e.g. 10,50,100.");
  });
});
