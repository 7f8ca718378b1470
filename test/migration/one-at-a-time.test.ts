import { readFileSync, readdirSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { useAttachedSandbox } from "../helpers/sandbox.js";
import { runBin } from "../helpers/run-bin.js";
import { documentedStream } from "../helpers/json-schema.js";
import type { SandboxWorld } from "../../src/sandbox/world.js";
import { parseFaultSpec } from "../../src/sandbox/index.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe("one sandbox per state directory", () => {
  it(
    "two commands that would each start a sandbox on one state dir: one runs, the other refuses with the way out; the world keeps the migration",
    { timeout: 60_000 },
    async () => {
      const state = mkdtempSync(join(tmpdir(), "aci-migrate-twosandboxes-"));
      cleanups.push(() => rmSync(state, { recursive: true, force: true }));
      // Each embedded sandbox runs at the speed the environment gives it: a deployment takes a third of a second.
      const migrate = (service: string) =>
        runBin(["--sandbox", "--state-dir", state, "migrate", "-w", "ml-batch-eastus", "--service", service, "--yes", "--json"], {
          env: { ACI_MIGRATE_SANDBOX_SPEED: "2000" },
        });
      const [a, b] = await Promise.all([migrate("batch-scorer-01"), migrate("batch-scorer-02")]);
      const results = [a, b].sort((x, y) => x.code - y.code);
      expect(results.map((r) => r.code)).toEqual([0, 1]);
      const refusal = JSON.parse(results[1]!.stderr).error;
      expect(refusal.message).toMatch(/Another aci-migrate \(pid \d+\) runs an embedded sandbox on /);
      expect(refusal.next).toContain(`aci-migrate --state-dir ${state} sandbox`);
      // The winner's migration is in the world it saved, whole.
      const world = JSON.parse(readFileSync(join(state, "sandbox-world.json"), "utf8")) as SandboxWorld;
      const winner = documentedStream(results[0]!.stdout).result.services[0].service as string;
      const endpoint = world.endpoints.find((e) => e.name === `${winner}-online`);
      expect(endpoint?.traffic).toEqual({ blue: 100 });
      expect(world.deployments.filter((d) => d.endpoint === `${winner}-online`)).toHaveLength(1);
      const deploying = world.operations.find((o) => o.kind === "deployment-create" && o.target.includes(`/${winner}-online/`))!;
      expect(deploying.durationMs).toBeLessThan((580_000 * 1.1) / 2000 + 1);
      expect(readdirSync(state).filter((f) => f.endsWith(".lock") || f.endsWith(".tmp"))).toEqual([]);
    },
  );
});

describe("one migration of a service at a time", () => {
  const sandbox = useAttachedSandbox({ speed: 500 }); // a deployment takes over a second: the second run meets the first

  it("two migrate of the same service at once: one migrates, the other names the first's session and creates nothing", { timeout: 60_000 }, async () => {
    const migrate = () =>
      runBin(["--sandbox", "--state-dir", sandbox.stateDir, "migrate", "-w", "ml-batch-eastus", "--service", "batch-scorer-03", "--yes", "--json"]);
    const [a, b] = await Promise.all([migrate(), new Promise((r) => setTimeout(r, 150)).then(migrate)]);
    const results = [a, b].sort((x, y) => x.code - y.code);
    expect(
      results.map((r) => r.code),
      results.map((r) => r.stderr).join("\n"),
    ).toEqual([0, 1]);
    const first = documentedStream(results[0]!.stdout).result;
    const refusal = JSON.parse(results[1]!.stderr).error;
    expect(refusal.message).toContain(`Service batch-scorer-03 is being migrated by session ${first.sessionId}`);
    expect(results[1]!.stdout).toBe("");
    const sessions = readdirSync(join(sandbox.stateDir, "sessions")).filter((f) => f.endsWith(".json"));
    expect(sessions).toEqual([`${first.sessionId}.json`]);
    expect(sandbox.sb.world.deployments.filter((d) => d.endpoint === "batch-scorer-03-online")).toHaveLength(1);
  });
});

describe("a 409 from an operation in progress", () => {
  // The sandbox answers the first endpoint PUT with Azure's 409 Conflict, as while another operation runs on it.
  const sandbox = useAttachedSandbox({ speed: 2000, faults: parseFaultSpec("409@OnlineEndpoints_CreateOrUpdate*1") });

  it("is tried again from the step's reconciliation, not fatal", { timeout: 60_000 }, async () => {
    const r = await runBin([
      "--sandbox",
      "--state-dir",
      sandbox.stateDir,
      "migrate",
      "-w",
      "ml-batch-eastus",
      "--service",
      "batch-scorer-04",
      "--yes",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { events, result } = documentedStream(r.stdout);
    expect(result.status).toBe("done");
    expect(events.some((e) => e.type === "step-progress" && e.step === "endpoint" && /transiently \(.*(409|Conflict|operation)/.test(e.message))).toBe(true);
    expect(sandbox.served.filter((x) => x.operation === "OnlineEndpoints_CreateOrUpdate" && x.status === 409)).toHaveLength(1);
  });
});
