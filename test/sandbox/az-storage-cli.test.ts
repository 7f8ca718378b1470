import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { runBin } from "../helpers/run-bin.js";
import { startAttachedSandbox, useAttachedSandbox } from "../helpers/sandbox.js";

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
function azEnvironment(account: string, sb = sandbox.sb): NodeJS.ProcessEnv {
  const key = sb.world.datastores.find((d) => d.accountName === account)!.accountKey;
  const ca = join(work, "sandbox-ca.pem");
  writeFileSync(ca, sb.caPem);
  return {
    PATH: process.env.PATH,
    HOME: work,
    AZURE_CONFIG_DIR: join(work, "azure-config"),
    AZURE_CORE_COLLECT_TELEMETRY: "false",
    AZURE_CORE_NO_COLOR: "true",
    REQUESTS_CA_BUNDLE: ca,
    AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=${key};BlobEndpoint=${sb.armEndpoint}/${account}`,
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

describe.skipIf(!haveAz && !required)("a service's lease blob, leased by az itself", () => {
  it("az storage blob lease acquire, a second acquire refused, renew, break, release: as Storage answers them", async () => {
    expect(haveAz, `${AZ} is missing: apt-get install -y azure-cli`).toBe(true);
    // At Azure's pace: a sped-up sandbox shortens a lease's 60 s as much as everything else, and az takes a second to start.
    const own = await startAttachedSandbox({ speed: 1 });
    onTestFinished(() => own.stop());
    const store = own.sb.world.datastores.find((d) => d.isDefault && d.workspace.endsWith("/ml-prod-eastus"))!;
    const env = azEnvironment(store.accountName, own.sb);
    const name = "aci-migrate-leases/ml-prod-eastus/az-judged";
    // `az storage blob` names the blob with -n, its lease commands with -b.
    const [blob, leased] = [`-c ${store.containerName} -n ${name}`, `-c ${store.containerName} -b ${name}`];
    const ok = async (line: string) => {
      const r = await run(line, env);
      expect(r.code, `${line}\n${r.stderr}`).toBe(0);
      return r.stdout.trim();
    };
    const empty = join(work, "empty");
    writeFileSync(empty, "");
    await ok(`az storage blob upload ${blob} -f ${empty} --only-show-errors`);
    const id = JSON.parse(await ok(`az storage blob lease acquire ${leased} --lease-duration 60 --proposed-lease-id 11111111-1111-1111-1111-111111111111`));
    expect(id).toBe("11111111-1111-1111-1111-111111111111");
    const refused = await run(`az storage blob lease acquire ${leased} --lease-duration 60`, env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("LeaseAlreadyPresent");
    await ok(`az storage blob lease renew ${leased} --lease-id ${id}`);
    const props = JSON.parse(await ok(`az storage blob show ${blob}`));
    expect(props.properties.lease).toMatchObject({ state: "leased", status: "locked", duration: "fixed" });
    await ok(`az storage blob lease break ${leased} --lease-break-period 0`);
    await ok(`az storage blob lease acquire ${leased} --lease-duration 15 --proposed-lease-id 22222222-2222-2222-2222-222222222222`);
    await ok(`az storage blob lease release ${leased} --lease-id 22222222-2222-2222-2222-222222222222`);
    expect(JSON.parse(await ok(`az storage blob show ${blob}`)).properties.lease.state).toBe("available");
  }, 120_000);
});

function run(line: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn("bash", ["-c", line], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}
