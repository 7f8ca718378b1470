import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";

/**
 * Microsoft's own CLI runs the exported README's `az storage` lines against the sandbox as written: only the
 * environment points it there (a connection string naming the sandbox's blob endpoint, its CA for requests), as a
 * user with `az storage account show-connection-string` would. Debian's azure-cli (2.45) is used; off CI a machine
 * without it skips, under ACI_MIGRATE_REQUIRE_AZ_CLI=1 (.ci/run) it fails.
 */
const AZ = "/usr/bin/az";
const haveAz = spawnSync(AZ, ["version"], { encoding: "utf8" }).status === 0;
const required = process.env.ACI_MIGRATE_REQUIRE_AZ_CLI === "1";

const sandbox = useAttachedSandbox({ speed: 300 });
const work = mkdtempSync(join(tmpdir(), "aci-migrate-az-storage-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What `az` needs to reach the sandbox's account: nothing in the command line changes. */
function azEnvironment(account: string): NodeJS.ProcessEnv {
  const key = sandbox.sb.world.datastores.find((d) => d.accountName === account)!.accountKey;
  const ca = join(work, "sandbox-ca.pem");
  writeFileSync(ca, sandbox.sb.caPem);
  return {
    PATH: process.env.PATH,
    HOME: work,
    AZURE_CONFIG_DIR: join(work, "azure-config"),
    AZURE_CORE_COLLECT_TELEMETRY: "false",
    AZURE_CORE_NO_COLOR: "true",
    REQUESTS_CA_BUNDLE: ca,
    AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=${key};BlobEndpoint=${sandbox.sb.armEndpoint}/${account}`,
  };
}

describe.skipIf(!haveAz && !required)("the exported README's az storage lines, run by az itself", () => {
  it("copies each model's files where model.yml expects them, byte for byte", async () => {
    expect(haveAz, `${AZ} is missing: apt-get install -y azure-cli`).toBe(true);
    const out = join(work, "export");
    const plan = await runBin(["--sandbox", "--state-dir", sandbox.stateDir, "plan", "-w", "ml-prod-eastus", "--service", "ensemble-two-models", "--out", out]);
    expect(plan.code, plan.stderr).toBe(0);
    const lines = readFileSync(join(out, "README.md"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.startsWith("az storage "));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const flag = (name: string) => new RegExp(`--${name} (\\S+)`).exec(line)![1]!;
      const account = flag("account-name");
      // Not spawnSync: the sandbox answering az lives in this process.
      const r = await run(line, azEnvironment(account));
      expect(r.code, `${line}\n${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ copy_status: "success" });
      const copied = sandbox.sb.readBlob(`${account}/${flag("destination-container")}/${flag("destination-blob")}`);
      const source = sandbox.sb.readBlob(`${flag("source-account-name")}/${flag("source-container")}/${flag("source-blob")}`);
      expect(source).toBeDefined();
      expect(copied?.equals(source!)).toBe(true);
    }
  }, 300_000);
});

function run(line: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn("bash", ["-c", line], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}
