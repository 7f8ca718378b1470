import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoPath } from "../helpers/fixtures.js";
import { useSandbox } from "../helpers/sandbox.js";
import { startStorageProxy, type StorageProxy } from "../helpers/storage-proxy.js";

/**
 * The contract suites written against Microsoft's Python SDKs (Debian's python3-azure and python3-azure-storage:
 * azure-mgmt-machinelearningservices 2022-10-01, azure-storage-blob 12.15, and azure-ai-ml 1.4's MLClient, which
 * sends its own api-versions), one vitest test per Python test so CI's summary counts them. Debian's
 * /usr/bin/python3 is called by its path: another python3 on PATH may not have them. Off CI a machine without
 * them skips the suites; under CI=true (see .ci/run) it fails instead. test/contract-python/README.md says how
 * MLClient is pointed at the sandbox.
 */
const PYTHON = "/usr/bin/python3";
const PYDASH_STAND_IN = repoPath("test/contract-python/pydash-stand-in");
const SUITES = [
  { file: repoPath("test/contract-python/test_sandbox_contract.py"), imports: "azure.mgmt.machinelearningservices, azure.storage.blob" },
  { file: repoPath("test/contract-python/test_ml_client_contract.py"), imports: "azure.ai.ml" },
].map((suite) => {
  const env = { ...process.env, PYTHONPATH: PYDASH_STAND_IN, PYTHONDONTWRITEBYTECODE: "1" };
  const probe = spawnSync(PYTHON, ["-c", `import ${suite.imports}`], { encoding: "utf8", env });
  const listed = probe.status === 0 ? spawnSync(PYTHON, [suite.file, "--list"], { encoding: "utf8", env }).stdout.trim().split("\n").filter(Boolean) : [];
  return { ...suite, probe, listed, name: suite.file.split("/").pop()! };
});
const required = process.env.ACI_MIGRATE_REQUIRE_PYTHON_SDKS === "1";

describe("Microsoft's Python SDKs against the sandbox", () => {
  for (const suite of SUITES) {
    it.runIf(required)(`${suite.name}: the Python SDKs are installed (CI requires them)`, () => {
      expect(
        suite.probe.status,
        `${PYTHON} cannot import ${suite.imports}: ${suite.probe.stderr}\nInstall them with: apt-get install -y python3-azure python3-azure-storage`,
      ).toBe(0);
      expect(suite.listed.length).toBeGreaterThan(3);
    });
  }

  describe.runIf(SUITES.some((s) => s.probe.status === 0))("contract", () => {
    const h = useSandbox({ speed: 1000 });
    const dir = mkdtempSync(join(tmpdir(), "aci-migrate-pycontract-"));
    const outcomes: Record<string, Record<string, string>> = {};
    const logs: Record<string, string> = {};
    let proxy: StorageProxy | undefined;
    beforeAll(async () => {
      proxy = await startStorageProxy(h.sb.armEndpoint, h.sb.caPem);
      writeFileSync(join(dir, "ca.pem"), h.sb.caPem);
      // MLClient trusts the sandbox (ARM) and the proxy's storage host through one bundle, as requests reads it.
      writeFileSync(join(dir, "bundle.pem"), `${h.sb.caPem.trim()}\n${proxy.certPem.trim()}\n`);
      const env = {
        ...process.env,
        SANDBOX_ARM: h.sb.armEndpoint,
        SANDBOX_TOKEN: h.sb.token,
        SANDBOX_CA: join(dir, "ca.pem"),
        SANDBOX_SUBSCRIPTION: h.prodSub,
        PYTHONDONTWRITEBYTECODE: "1",
        PYTHONPATH: PYDASH_STAND_IN,
        AZUREML_DEV_URL_MFE: h.sb.armEndpoint,
        REQUESTS_CA_BUNDLE: join(dir, "bundle.pem"),
        HTTPS_PROXY: proxy.url,
        NO_PROXY: "127.0.0.1,localhost",
      };
      await Promise.all(
        SUITES.filter((s) => s.probe.status === 0).map(
          (suite) =>
            new Promise<void>((resolve) => {
              const report = join(dir, `${suite.name}.json`);
              logs[suite.name] = "";
              const child = spawn(PYTHON, [suite.file, "--report", report], { env, stdio: ["ignore", "pipe", "pipe"] });
              child.stdout.on("data", (d) => (logs[suite.name] += d));
              child.stderr.on("data", (d) => (logs[suite.name] += d));
              child.on("exit", () => {
                try {
                  outcomes[suite.name] = JSON.parse(readFileSync(report, "utf8"));
                } catch {
                  outcomes[suite.name] = {};
                }
                resolve();
              });
            }),
        ),
      );
    }, 240_000);
    afterAll(async () => {
      await proxy?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    for (const suite of SUITES.filter((s) => s.probe.status === 0)) {
      for (const id of suite.listed) {
        it(`python: ${id}`, () => {
          expect(outcomes[suite.name]?.[id], logs[suite.name]).toBe("passed");
        });
      }
    }
  });
});
