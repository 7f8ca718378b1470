import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { repoPath } from "../helpers/fixtures.js";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";
import { score } from "../helpers/score.js";
import { documented, documentedStream } from "../helpers/json-schema.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * `--target-workspace`: a service of the CMK workspace (westeurope) migrated into a plain workspace (eastus). The
 * service, its keys, code and model are read where they are; the endpoint, its deployment, the model copy, the
 * environment and the code are made in the target, and a rollback removes them there.
 */
const sandbox = useAttachedSandbox({ speed: 2000 });
const FROM = ["-w", "ml-risk-westeurope", "--service", "claims-cmk"];
const INTO = ["--target-workspace", "ml-prod-eastus", "--acknowledge", "cmk-encryption-unsupported"];
const inWorkspace = (name: string) => (r: { workspace: string }) => r.workspace.endsWith(`/workspaces/${name}`);

function migrateUntil(at: (e: { type: string; step?: string; message?: string }) => boolean): Promise<{ sessionId: string; killed: boolean }> {
  const env = { ...process.env };
  delete env.CI;
  const args = ["--sandbox", "--state-dir", sandbox.stateDir, "migrate", ...FROM, ...INTO, "--yes", "--json"];
  const child = spawn(process.execPath, [repoPath("bin/aci-migrate.js"), ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let sessionId = "";
  let killed = false;
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const e = JSON.parse(line).event as { type: string; step?: string; message?: string; sessionId?: string } | undefined;
    if (e?.type === "session-started") sessionId = e.sessionId!;
    if (e && !killed && at(e)) killed = child.kill("SIGKILL");
  });
  return new Promise((resolve) => child.once("close", () => resolve({ sessionId, killed })));
}

describe("migrating into another workspace", () => {
  it("creates everything in the target, scores with the v1 key, and a rollback removes what it made there", { timeout: 60_000 }, async () => {
    const r = await runBin(["--sandbox", "--state-dir", sandbox.stateDir, "migrate", ...FROM, ...INTO, "--yes", "--json"]);
    expect(r.code, r.stdout.slice(-1500) + r.stderr).toBe(0);
    const { result } = documentedStream(r.stdout);
    const world = sandbox.sb.world;
    const endpoint = world.endpoints.find((e) => e.name === "claims-cmk-online")!;
    expect(endpoint.workspace).toMatch(/\/workspaces\/ml-prod-eastus$/);
    expect(endpoint.location).toBe("eastus");
    expect(world.deployments.filter((d) => d.endpoint === "claims-cmk-online").map((d) => d.workspace)).toEqual([endpoint.workspace]);
    // The model, the environment and the code the deployment names are the target's.
    const deployment = world.deployments.find((d) => d.endpoint === "claims-cmk-online")!;
    for (const id of [deployment.properties.model, deployment.properties.environmentId, (deployment.properties.codeConfiguration as { codeId: string }).codeId])
      expect(String(id)).toContain("/workspaces/ml-prod-eastus/");
    expect(world.models.filter(inWorkspace("ml-prod-eastus")).filter((m) => m.name === "claims-model")).toHaveLength(1);
    expect(world.models.filter(inWorkspace("ml-risk-westeurope")).filter((m) => m.name === "claims-model").length).toBeGreaterThan(0); // the source keeps its own
    // Callers keep their key: the v1 service's key scores on the new endpoint.
    const v1 = world.services.find((s) => s.name === "claims-cmk")!;
    const answer = await score(sandbox.sb, "/online/eastus/claims-cmk-online/score", v1.keys!.primaryKey, { data: [[0.5, 1.5, 2.5, 3.5]] });
    expect(answer.status, answer.text).toBe(200);

    const undo = await runBin(["--sandbox", "--state-dir", sandbox.stateDir, "rollback", result.sessionId, "--yes", "--json"]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(world.endpoints.find((e) => e.name === "claims-cmk-online")).toBeUndefined();
    expect(world.codes.filter(inWorkspace("ml-prod-eastus")).filter((c) => c.name === "claims-cmk-code")).toEqual([]);
    expect(world.models.filter(inWorkspace("ml-prod-eastus")).filter((m) => m.name === "claims-model")).toEqual([]);
    expect(world.services.find((s) => s.name === "claims-cmk")).toBeDefined();
  });

  it.each([
    { label: "as the model step starts", at: (e: { type: string; step?: string }) => e.type === "step-started" && e.step === "model" },
    {
      label: "while the model is copied",
      at: (e: { type: string; step?: string; message?: string }) => e.type === "step-progress" && /^copying /.test(e.message ?? ""),
    },
    { label: "after the model step", at: (e: { type: string; step?: string }) => e.type === "step-finished" && e.step === "model" },
    { label: "as the deployment starts", at: (e: { type: string; step?: string }) => e.type === "step-started" && e.step === "deployment" },
  ])("killed $label, resume leaves one copy of each asset in the target", { timeout: 60_000 }, async ({ at }) => {
    const { sessionId, killed } = await migrateUntil(at);
    expect([sessionId !== "", killed]).toEqual([true, true]);
    const resumed = await runBin(["--sandbox", "--state-dir", sandbox.stateDir, "resume", sessionId, "--yes", "--json"]);
    expect(resumed.code, resumed.stdout.slice(-1500) + resumed.stderr).toBe(0);
    const world = sandbox.sb.world;
    const target = (list: { workspace: string; name: string }[], name: string) => list.filter(inWorkspace("ml-prod-eastus")).filter((a) => a.name === name);
    expect(target(world.models, "claims-model")).toHaveLength(1);
    expect(target(world.codes, "claims-cmk-code")).toHaveLength(1);
    expect(world.deployments.filter((d) => d.endpoint === "claims-cmk-online")).toHaveLength(1);
    // Each run starts from nothing: the session's own rollback.
    expect((await runBin(["--sandbox", "--state-dir", sandbox.stateDir, "rollback", sessionId, "--yes"])).code).toBe(0);
  });

  it("plan --target-workspace speaks of the target; saved, it applies there exactly", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "aci-migrate-target-plan-"));
    try {
      const file = join(dir, "claims.plan.yml");
      const planned = await runBin(["--sandbox", "--state-dir", sandbox.stateDir, "plan", ...FROM, ...INTO, "--save", file, "--json"]);
      expect(planned.code, planned.stderr).toBe(0);
      const plan = documented(planned.stdout, "plan");
      expect(plan.into).toEqual({ workspace: "ml-prod-eastus", location: "eastus" });
      expect(plan.findings.find((f: { id: string }) => f.id === "cmk-encryption-unsupported").message).toContain("the keys of ml-prod-eastus, where it goes");
      const applied = await runBin(["--sandbox", "--state-dir", sandbox.stateDir, "migrate", "--plan", file, "--yes", "--json"]);
      expect(applied.code, applied.stdout.slice(-1500) + applied.stderr).toBe(0);
      const sessionId = documented(applied.stdout.trim().split("\n").at(-1)!, "migratePlansResult").plans[0].sessionId as string;
      expect(sandbox.sb.world.endpoints.find((e) => e.name === "claims-cmk-online")?.workspace).toMatch(/\/workspaces\/ml-prod-eastus$/);
      expect((await runBin(["--sandbox", "--state-dir", sandbox.stateDir, "rollback", sessionId, "--yes"])).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
