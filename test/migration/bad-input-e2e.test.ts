import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { parseFaultSpec, startSandbox } from "../../src/sandbox/index.js";
import { repoPath } from "../helpers/fixtures.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";
import { publishConnection } from "../../src/cli/sandbox-connection.js";
import { runBin } from "../helpers/run-bin.js";
import { writeSession } from "../helpers/session-files.js";

const SPEED = 100; // a deployment takes ~6 s: time to act while one runs
const sandbox = useAttachedSandbox({ speed: SPEED });

const cli = (args: string[]) => runBin(["--sandbox", "--state-dir", sandbox.stateDir, ...args]);

/** Starts `migrate --json` and resolves when `until` sees the event it waits for (the process keeps running). */
function startMigrate(service: string, until: (e: { type: string; step?: string }) => boolean) {
  const env = { ...process.env };
  delete env.CI;
  const child = spawn(
    process.execPath,
    [
      repoPath("bin/aci-migrate.js"),
      "--sandbox",
      "--state-dir",
      sandbox.stateDir,
      "migrate",
      "--workspace",
      "ml-batch-eastus",
      "--service",
      service,
      "--yes",
      "--json",
    ],
    { env, stdio: ["ignore", "pipe", "ignore"] },
  );
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const reached = new Promise<string>((resolve, reject) => {
    let id = "";
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const e = JSON.parse(line).event;
      if (e?.type === "session-started") id = e.sessionId;
      if (e && until(e)) resolve(id);
    });
    void exited.then((code) => reject(new Error(`migrate exited (${code}) first`)));
  });
  return { child, reached, exited };
}

describe("bad input and refusals: exit 1 or 2, one message with the next step", () => {
  it("a second process on a locked session is refused while the first runs", async () => {
    const run = startMigrate("batch-scorer-01", (e) => e.type === "step-started" && e.step === "deployment");
    const sessionId = await run.reached;
    const second = await cli(["resume", sessionId, "--yes"]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/Session .* is in use by another aci-migrate \(pid \d+/);
    expect(second.stderr).toMatch(/Next: .*resume/);
    expect(await run.exited).toBe(0); // the first one was not disturbed
  });

  it("a service deleted between plan and run is reported at preflight", async () => {
    const run = startMigrate("batch-scorer-02", (e) => e.type === "session-started");
    const sessionId = await run.reached;
    run.child.kill("SIGKILL");
    await run.exited;
    const i = sandbox.sb.world.services.findIndex((s) => s.name === "batch-scorer-02");
    sandbox.sb.world.services.splice(i, 1);
    const r = await cli(["resume", sessionId, "--yes", "--json"]);
    expect(r.code).toBe(1);
    const failed = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).event)
      .find((e) => e?.type === "step-failed");
    expect(failed).toMatchObject({
      step: "preflight",
      error: { kind: "user-fixable", message: expect.stringContaining("no longer exists"), nextStep: expect.any(String) },
    });
  });

  it("Ctrl+C cancels between requests: exit 130, and the session resumes to the end", async () => {
    const run = startMigrate("batch-scorer-03", (e) => e.type === "step-started" && e.step === "deployment");
    const sessionId = await run.reached;
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(130);
    const r = await cli(["resume", sessionId, "--yes", "--json"]);
    expect(r.code).toBe(0);
    expect(sandbox.sb.world.deployments.filter((d) => d.endpoint === "batch-scorer-03-online")).toHaveLength(1);
  });

  it("services that together exceed the free quota are refused before anything starts", async () => {
    const before = sandbox.sb.world.operations.length;
    const r = await cli([
      "migrate",
      "--workspace",
      "ml-prod-eastus",
      "--service",
      "nlp-8cpu-32gb",
      "--service",
      "forecast-4cpu-16gb",
      "--instances",
      "3",
      "--yes",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Not enough standardESv3Family quota in eastus: the migration needs 48 vCPUs, 32 are free.");
    expect(r.stderr).toMatch(/Next: Request more quota/);
    expect(sandbox.sb.world.operations.length).toBe(before);
  });

  it("an environment named with --environment that is not registered is refused at preflight, before any endpoint", async () => {
    for (const [environment, why] of [
      ["nonexistent-env:1", /no environment named nonexistent-env is registered there\./],
      ["sklearn-inference-env:99", /sklearn-inference-env has the versions .*sklearn-inference-env:4/],
    ] as const) {
      const before = sandbox.sb.world.endpoints.length;
      const r = await cli(["migrate", "-w", "ml-prod-eastus", "--service", "iris-noauth", "--environment", environment, "--yes"]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`✗ iris-noauth · preflight: Environment ${environment} is not registered in workspace ml-prod-eastus: `);
      expect(r.stdout).toMatch(why);
      expect(r.stdout).toMatch(/Next: .*--environment/);
      expect(sandbox.sb.world.endpoints.length).toBe(before);
    }
  });

  it("a session whose workspace does not exist says so, not that its service is missing", async () => {
    const session = writeSession(sandbox.stateDir);
    const file = join(sandbox.stateDir, "sessions", `${session.id}.json`);
    const subscriptionId = sandbox.sb.world.subscriptions[0]!.subscriptionId;
    writeFileSync(file, JSON.stringify({ ...session, target: { ...session.target, subscriptionId, resourceGroup: "rg-ml-prod", workspace: "ml-gone" } }));
    const r = await cli(["resume", session.id, "--yes"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`Workspace ml-gone does not exist in resource group rg-ml-prod of subscription ${subscriptionId}.`);
    expect(r.stdout + r.stderr).not.toMatch(/no longer exists in workspace/);
    rmSync(file);
  });

  it("a 403 on a PUT fails the step with Azure's status, request id and what to do", async () => {
    const faulty = await startSandbox({
      stateDir: await mkdtemp(join(tmpdir(), "aci-migrate-403-")),
      speed: SPEED,
      faults: parseFaultSpec("403@OnlineEndpoints_CreateOrUpdate"),
    });
    const dir = await mkdtemp(join(tmpdir(), "aci-migrate-403-state-"));
    publishConnection(dir, faulty, SPEED);
    try {
      const r = await runBin(["--sandbox", "--state-dir", dir, "migrate", "--workspace", "ml-prod-eastus", "--service", "churn-keyauth", "--yes"]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/✗ churn-keyauth · endpoint: Injected fault: 403\./);
      expect(r.stdout).toMatch(/Next: Your account lacks a permission here/);
      expect(r.stdout).toMatch(/request id [0-9a-f-]{36}/);
      expect(faulty.world.endpoints).toEqual([]);
    } finally {
      await faulty.stop();
    }
  });
});
