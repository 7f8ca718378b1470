import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { repoPath } from "../helpers/fixtures.js";
import { runBin } from "../helpers/run-bin.js";
import { documented } from "../helpers/json-schema.js";

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

/** Starts `aci-migrate sandbox … --json` and resolves with its first line, parsed. */
function startSandboxProcess(args: string[]): Promise<{ child: ChildProcess; connection: { armEndpoint: string; caFile: string; token: string } }> {
  const env = { ...process.env };
  delete env.CI;
  const child = spawn(process.execPath, [repoPath("bin/aci-migrate.js"), ...args, "sandbox", "--port", "0", "--json"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", (line) => resolve({ child, connection: documented(line, "sandbox") }));
    child.once("exit", (code) => reject(new Error(`sandbox exited ${code}`)));
  });
}

function curl(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => execFile("curl", ["-s", "-w", "\n%{http_code}", ...args], (error, stdout) => resolve({ code: error ? 1 : 0, out: stdout })));
}

describe("aci-migrate sandbox", () => {
  it("prints the connection as one JSON object; curl lists subscriptions with the token, gets 401 without", async () => {
    const { child, connection } = await startSandboxProcess([]);
    expect(connection.armEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const url = `${connection.armEndpoint}/subscriptions?api-version=2022-12-01`;
    const ok = await curl(["--cacert", connection.caFile, "-H", `Authorization: Bearer ${connection.token}`, url]);
    const [okBody, okStatus] = ok.out.split("\n");
    expect(okStatus).toBe("200");
    expect(JSON.parse(okBody!).value.map((s: { displayName: string }) => s.displayName)).toEqual(["Contoso ML Production", "Contoso Dev (empty)"]);
    const denied = await curl(["--cacert", connection.caFile, url]);
    expect(denied.out.split("\n")[1]).toBe("401");
    // Without the CA, curl refuses the certificate (nothing trusts it by default).
    expect((await curl([url])).out.split("\n")[1]).toBe("000");

    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(existsSync(connection.caFile)).toBe(false); // its temporary folder is gone
  });

  it("another command attaches to the sandbox serving a state directory, and starts its own once it stopped", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "aci-migrate-state-"));
    const { child, connection } = await startSandboxProcess(["--state-dir", stateDir]);
    const attached = await runBin(["--sandbox", "--state-dir", stateDir, "services", "--workspace", "ml-risk-westeurope", "--json"]);
    expect(attached.code).toBe(0);
    expect(attached.stderr).toBe(""); // under --json, stderr is for an error's JSON only
    const [workspace] = documented(attached.stdout, "services").subscriptions[0].workspaces;
    expect(workspace.discoveryUrl.startsWith(connection.armEndpoint)).toBe(true); // served by that sandbox
    expect(workspace.services.map((s: { name: string }) => s.name)).toEqual(["claims-cmk", "fraud-vnet", "risk-score"]);
    expect((await runBin(["--sandbox", "--state-dir", stateDir, "services", "--workspace", "ml-risk-westeurope"])).stderr).toContain(
      `Using the sandbox serving ${stateDir}`,
    );

    const second = await runBin(["--state-dir", stateDir, "sandbox", "--port", "0"]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("is already serving");

    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
    const embedded = await runBin(["--sandbox", "services"], { env: { ACI_MIGRATE_STATE_DIR: stateDir } });
    expect(embedded.code).toBe(0);
    expect(embedded.stderr).toContain(`Using an embedded sandbox on ${stateDir}`);
  });

  it("an embedded sandbox's speed that is not a number greater than 0 is one message, and nothing starts", async () => {
    const r = await runBin(["--sandbox", "services", "--json"], { env: { ACI_MIGRATE_SANDBOX_SPEED: "fast" } });
    expect(r.code).toBe(2);
    const error = JSON.parse(r.stderr).error;
    expect(error.message).toBe('ACI_MIGRATE_SANDBOX_SPEED is "fast", not a speed.');
    expect(error.next).toContain("unset ACI_MIGRATE_SANDBOX_SPEED");
    expect(r.stdout).toBe("");
  });

  it("rejects a bad --faults spec as a usage error", async () => {
    const r = await runBin(["sandbox", "--faults", "teapot@1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown fault "teapot@1"');
  });
});

describe("aci-migrate services", () => {
  it("lists every workspace's v1 services with the suggested VM size", async () => {
    const r = await runBin(["--sandbox", "services", "--json"]);
    expect(r.code).toBe(0);
    const subs = documented(r.stdout, "services").subscriptions;
    expect(subs).toHaveLength(2);
    expect(subs[1].workspaces).toEqual([]);
    const prod = subs[0].workspaces.find((w: { workspace: string }) => w.workspace === "ml-prod-eastus");
    const byName = Object.fromEntries(prod.services.map((s: { name: string }) => [s.name, s]));
    expect(byName["sklearn-1cpu-2gb"]).toMatchObject({ suggestedSku: "Standard_D2a_v4", skuSource: "fallback", migratable: true });
    expect(byName["recs-aks"]).toMatchObject({ computeType: "AKS", migratable: false });
  });

  it("without --sandbox and without az, says how to sign in", async () => {
    const r = await runBin(["services"], { env: { PATH: "/nonexistent", AZURE_CONFIG_DIR: join(tmpdir(), "no-az") } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("not signed in to Azure");
    expect(r.stderr).toContain("az login");
  });
});

describe("aci-migrate plan --workspace W --service NAME", () => {
  it("plans a live (sandbox) service", async () => {
    const r = await runBin(["--sandbox", "plan", "--workspace", "ml-prod-eastus", "--service", "telemetry-svc", "--json"]);
    expect(r.code).toBe(0);
    const plan = documented(r.stdout, "plan");
    expect(plan).toMatchObject({
      service: "telemetry-svc",
      authMode: "Key",
      keysCarried: false,
      environmentVariables: { WORKERS: "2", MODEL_THRESHOLD: "0.42" },
    });
    expect(plan.findings.map((f: { id: string }) => f.id)).toEqual(
      expect.arrayContaining(["auth-none-to-key", "data-collection-not-carried", "app-insights-copied", "environment-variables-copied"]),
    );
  });

  it.each([
    [["--workspace", "ml-prod-eastus", "--service", "no-such"], /Workspace ml-prod-eastus has no service named no-such/],
    [["--workspace", "nowhere", "--service", "x"], /No workspace named nowhere[\s\S]*ml-prod-eastus/],
    [["--service", "x"], /--workspace is missing/],
    [["--workspace", "ml-prod-eastus", "--service", "recs-aks"], /runs on Azure Kubernetes Service/],
  ])("%j is bad input (exit 2) with one message", async (args, message) => {
    const r = await runBin(["--sandbox", "plan", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe("aci-migrate services when one workspace refuses", () => {
  it("reports that workspace and lists the others", async () => {
    const { startSandbox, parseFaultSpec } = await import("../../src/sandbox/index.js");
    const { publishConnection } = await import("../../src/cli/sandbox-connection.js");
    const dir = await mkdtemp(join(tmpdir(), "aci-migrate-403-"));
    const sb = await startSandbox({ speed: 1000, faults: parseFaultSpec("403@Services_ListQuery*1") });
    publishConnection(dir, sb, 1000);
    try {
      const r = await runBin(["--sandbox", "--state-dir", dir, "services", "--json"]);
      expect(r.code).toBe(0);
      const workspaces = documented(r.stdout, "services").subscriptions[0].workspaces;
      const failed = workspaces.filter((w: { error?: string }) => w.error);
      expect(failed).toHaveLength(1);
      expect(failed[0].error).toMatch(/Injected fault: 403.*HTTP 403/);
      expect(workspaces.filter((w: { services: unknown[] }) => w.services.length > 0)).toHaveLength(2);
    } finally {
      await sb.stop();
    }
  });
});
