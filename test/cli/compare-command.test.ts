import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, openInChromium, REQUIRE_BROWSER } from "../helpers/chromium.js";
import { repoPath } from "../helpers/fixtures.js";
import { documented } from "../helpers/json-schema.js";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";

/**
 * `aci-migrate compare` on the seeded service whose v1 data collection kept 240 requests: replayed on the ACI
 * service and on the migrated deployment, through the built binary against a sandbox that counts what it serves.
 */
const sandbox = useAttachedSandbox({ speed: 300 });
const cli = (args: string[]) => runBin(["--sandbox", "--state-dir", sandbox.stateDir, ...args]);
const SERVICE = "telemetry-svc";
const scored = (side: "aci" | "online") =>
  sandbox.served.filter((r) =>
    side === "aci"
      ? r.operation === "Score_Aci" && r.path.endsWith(`/${SERVICE}/score`)
      : r.operation === "Score_Online" && r.path.includes(`/${SERVICE}-online/`),
  ).length;

// Every test compares the migrated service: it is migrated once, before them.
let migrated = "";
beforeAll(async () => {
  // (--rate 0: the migration's own replay of the 240 requests goes as fast as the sandbox answers.)
  const r = await cli(["migrate", "-w", "ml-prod-eastus", "--service", SERVICE, "--rate", "0", "--yes"]);
  expect(r.code, r.stderr).toBe(0);
  migrated = r.stdout;
}, 120_000);

describe("compare: the collected requests replayed on both sides", () => {
  it("replays every collected request: all agree, latency per side, the report written 0600 in the state directory", { timeout: 60_000 }, async () => {
    const r = await cli(["compare", "-w", "ml-prod-eastus", "--service", SERVICE, "--rate", "0", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const { report, files } = documented<{ report: Record<string, any>; files: Record<string, string> }>(r.stdout, "compare");
    expect(report.replayed).toBeGreaterThanOrEqual(200);
    expect(report).toMatchObject({ requests: report.replayed, agreement: 1, disagreed: 0, verdict: { passed: true } });
    expect(report.source).toMatch(/data collection kept \(modeldata, 3 files/);
    expect(report.noise.sampled).toBe(Math.ceil(report.replayed / 10));
    for (const side of ["old", "new"]) {
      expect(report.latency[side].count).toBeGreaterThan(190);
      expect(report.latency[side].p95).toBeGreaterThan(0);
      expect(report.latency[side].p99).toBeGreaterThanOrEqual(report.latency[side].p95);
    }
    for (const file of Object.values(files)) {
      expect(file.startsWith(sandbox.stateDir)).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(files.markdown!, "utf8")).toContain(`${report.replayed} of ${report.replayed} answers agree (100%)`);
    // The journal keeps hashes and timings, never a body.
    const journal = readFileSync(files.json!.replace(/report\.json$/, "progress.jsonl"), "utf8");
    expect(journal).not.toContain('"data"');
    expect(journal.trim().split("\n")).toHaveLength(report.replayed + 1);
  });

  it.skipIf(!CHROMIUM && !REQUIRE_BROWSER)(
    "the HTML report opens in headless Chromium without an error, offline, with its latency chart",
    { timeout: 60_000 },
    async () => {
      const r = await cli(["compare", "-w", "ml-prod-eastus", "--service", SERVICE, "--rate", "0", "--json"]);
      const { files } = JSON.parse(r.stdout) as { files: { html: string } };
      const page = await openInChromium(files.html);
      expect(page.errors).toEqual([]);
      expect(page.title).toBe(`Replay of ${SERVICE}`);
      expect(page.svgs).toBe(1);
      expect(page.text).toMatch(/Passes: \d+ of \d+ answers agree \(100%\)/);
      expect(page.text).toContain("p95");
    },
  );

  it("stopped half-way and run again, it sends each request once to each side", { timeout: 120_000 }, async () => {
    const before = { aci: scored("aci"), online: scored("online") };
    // --limit 200 makes it another replay than the tests above (which finished theirs).
    const args = ["compare", "-w", "ml-prod-eastus", "--service", SERVICE, "--limit", "200", "--rate", "40", "--concurrency", "2"];
    const env = { ...process.env };
    delete env.CI;
    const child = spawn(process.execPath, [repoPath("bin/aci-migrate.js"), "--sandbox", "--state-dir", sandbox.stateDir, ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += String(d)));
    let signalled = false;
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const done = /· (\d+) of 200 requests compared/.exec(line);
      if (done && Number(done[1]) >= 60 && !signalled) signalled = child.kill("SIGTERM");
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    expect(signalled).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toMatch(/Replay stopped after (\d+) of 200 requests; run the same command again/);
    const stoppedAt = Number(/after (\d+) of/.exec(stderr)![1]);
    expect(stoppedAt).toBeLessThan(200);

    const again = await cli([...args, "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).report).toMatchObject({ replayed: 200, agreement: 1 });
    // Each request once on the new deployment; on the old service once, and a second time for the noise sample (every tenth).
    expect(scored("online") - before.online).toBe(200);
    expect(scored("aci") - before.aci).toBe(200 + 20);
  });

  it("says what to do when there is nothing to replay, and refuses a requests file that is not JSON Lines", async () => {
    const none = await cli([
      "compare",
      "-w",
      "ml-prod-eastus",
      "--service",
      "iris-noauth",
      "--endpoint",
      `${SERVICE}-online`,
      "--deployment",
      "blue",
      "--json",
    ]);
    expect(none.code).toBe(2);
    const error = JSON.parse(none.stderr).error;
    expect(error.message).toBe("There are no requests to replay for iris-noauth.");
    expect(error.nextStep).toMatch(/--requests FILE \(JSON Lines/);

    const dir = mkdtempSync(join(tmpdir(), "aci-migrate-requests-"));
    try {
      writeFileSync(join(dir, "requests.jsonl"), '{"data": [[1, 2, 3, 4, 5]]}\n{"data": [[1, 2,\n');
      const bad = await cli(["compare", "-w", "ml-prod-eastus", "--service", SERVICE, "--requests", join(dir, "requests.jsonl"), "--json"]);
      expect(bad.code).toBe(2);
      const e = JSON.parse(bad.stderr).error;
      expect(e.message).toMatch(/^The request at .*requests\.jsonl:2 is not JSON: /);
      expect(e.nextStep).toBe("Fix or remove that request; a JSON Lines file holds one JSON body per line.");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prints a key line and a curl line for the callers that work in a shell as printed, with a kit beside the session", { timeout: 60_000 }, async () => {
    const lines = migrated.split("\n");
    const at = lines.findIndex((l) => l.trim() === "Read the key, then call the new endpoint with the sample:");
    expect(at).toBeGreaterThan(0);
    const [keyLine, curlLine] = [lines[at + 1]!.trim(), lines[at + 2]!.trim()];
    expect(keyLine).toMatch(/^KEY=\$\(aci-migrate --sandbox --state-dir \S+ keys -w ml-prod-eastus --endpoint telemetry-svc-online\)$/);
    expect(curlLine).toMatch(/^curl --cacert \S+sandbox-ca\.pem -X POST https:\/\/127\.0\.0\.1:\d+\/online\/eastus\/telemetry-svc-online\/score /);
    const kitDir = lines[lines.findIndex((l) => l.includes("For the callers (README")) + 1]!.trim();
    expect(readdirSync(kitDir).sort()).toEqual(["Call.cs", "README.md", "call.py", "call.sh", "sample-request.json", "sandbox-ca.pem"]);
    expect(readFileSync(join(kitDir, "README.md"), "utf8")).toContain("The ACI service took no key; the endpoint needs one in every request.");
    const keys = documented<{ primaryKey: string }>((await cli(["keys", "-w", "ml-prod-eastus", "--endpoint", `${SERVICE}-online`, "--json"])).stdout, "keys");
    expect(keys.primaryKey).toBe(sandbox.sb.world.endpoints.find((e) => e.name === `${SERVICE}-online`)!.keys.primaryKey);

    // `aci-migrate` on PATH, as README's `npm link` puts it; then the two lines, as printed, in a shell.
    const bin = mkdtempSync(join(tmpdir(), "aci-migrate-path-"));
    try {
      writeFileSync(join(bin, "aci-migrate"), `#!/bin/sh\nexec "${process.execPath}" "${repoPath("bin/aci-migrate.js")}" "$@"\n`, { mode: 0o755 });
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
      delete env.CI;
      const shell = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn("/bin/sh", ["-c", `${keyLine}\n${curlLine}`], { env, cwd: tmpdir() });
        let [stdout, stderr] = ["", ""];
        child.stdout.on("data", (d) => (stdout += String(d)));
        child.stderr.on("data", (d) => (stderr += String(d)));
        child.once("exit", (code) => resolve({ code, stdout, stderr }));
      });
      expect(shell.code, shell.stderr).toBe(0);
      const sample = JSON.parse(readFileSync(join(kitDir, "sample-request.json"), "utf8"));
      const answer = JSON.parse(shell.stdout) as number[];
      expect(answer).toHaveLength(sample.data.length);
      expect(typeof answer[0]).toBe("number");
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
