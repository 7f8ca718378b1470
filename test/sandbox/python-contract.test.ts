import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoPath } from "../helpers/fixtures.js";
import { useSandbox } from "../helpers/sandbox.js";

/**
 * The contract suite written against Microsoft's Python SDKs (Debian's python3-azure and python3-azure-storage:
 * azure-mgmt-machinelearningservices 2022-10-01, azure-storage-blob 12.15), one vitest test per Python test so
 * CI's summary counts them. Debian's /usr/bin/python3 is called by its path: another python3 on PATH may not
 * have them. Off CI a machine without them skips the suite; under CI=true (see .ci/run) it fails instead.
 */
const PYTHON = "/usr/bin/python3";
const SUITE = repoPath("test/contract-python/test_sandbox_contract.py");
const probe = spawnSync(PYTHON, ["-c", "import azure.mgmt.machinelearningservices, azure.storage.blob"], { encoding: "utf8" });
const available = probe.status === 0;
const required = process.env.ACI_MIGRATE_REQUIRE_PYTHON_SDKS === "1";
const listed = available ? spawnSync(PYTHON, [SUITE, "--list"], { encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean) : [];

describe("Microsoft's Python SDKs against the sandbox", () => {
  it.runIf(required)("the Python SDKs are installed (CI requires them)", () => {
    expect(
      probe.status,
      `${PYTHON} cannot import Microsoft's SDKs: ${probe.stderr}\nInstall them with: apt-get install -y python3-azure python3-azure-storage`,
    ).toBe(0);
    expect(listed.length).toBeGreaterThan(10);
  });

  describe.runIf(available)("contract", () => {
    const h = useSandbox({ speed: 1000 });
    const dir = mkdtempSync(join(tmpdir(), "aci-migrate-pycontract-"));
    let outcomes: Record<string, string> = {};
    let log = "";
    beforeAll(async () => {
      writeFileSync(join(dir, "ca.pem"), h.sb.caPem);
      const env = {
        ...process.env,
        SANDBOX_ARM: h.sb.armEndpoint,
        SANDBOX_TOKEN: h.sb.token,
        SANDBOX_CA: join(dir, "ca.pem"),
        SANDBOX_SUBSCRIPTION: h.prodSub,
        PYTHONDONTWRITEBYTECODE: "1",
      };
      await new Promise<void>((resolve) => {
        const child = spawn(PYTHON, [SUITE, "--report", join(dir, "report.json")], { env, stdio: ["ignore", "pipe", "pipe"] });
        child.stdout.on("data", (d) => (log += d));
        child.stderr.on("data", (d) => (log += d));
        child.on("exit", () => resolve());
      });
      outcomes = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
    }, 120_000);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    for (const id of listed) {
      it(`python: ${id}`, () => {
        expect(outcomes[id], log).toBe("passed");
      });
    }
  });
});
