import { createHash } from "node:crypto";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { CA_FILE, publishConnection } from "../../src/cli/sandbox-connection.js";
import { transientCause } from "../../src/migration/engine.js";
import { AzureRequestError } from "../../src/migration/errors.js";
import { parseFaultSpec, startSandbox } from "../../src/sandbox/index.js";
import { makeSandboxCertificate } from "../../src/sandbox/tls.js";
import { repoPath } from "../helpers/fixtures.js";
import { documentedStream } from "../helpers/json-schema.js";
import { runBin } from "../helpers/run-bin.js";
import { looksLikeBug, runCliHere } from "../helpers/run-cli.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";

const temp: string[] = [];
afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "aci-migrate-messages-"));
  temp.push(d);
  return d;
};

describe("--json keeps stderr to one JSON object", () => {
  it("commander's own usage errors are JSON too", async () => {
    for (const argv of [
      ["plan", "--bogus", "--json"],
      ["--json", "frobnicate"],
      ["--cloud", "Mars", "skus", "--json"],
      ["skus", "--cpu", "abc", "--json"],
    ]) {
      const r = await runCliHere(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), argv.join(" ")).toHaveLength(1);
      expect(JSON.parse(r.stderr).error).toMatchObject({ code: "bad-input", message: expect.any(String), next: expect.stringContaining("--help") });
    }
  });
});

describe("advice that fits what happened", () => {
  it('an empty service file says the name is missing, not "undefined undefined"', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "svc.json"), "{}");
    const r = await runCliHere(["plan", "--service-json", join(dir, "svc.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('field "name" should be the service name, but it is missing');
    expect(r.stderr).not.toContain("undefined");
    // A required field has no SDK v1 default to fall back on.
    expect(r.stderr).toContain('Next: Add "name" to');
    expect(r.stderr).not.toContain("remove it");
  });

  it("a service name carrying terminal escapes is refused, shown escaped", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "svc.json"), JSON.stringify({ name: "svc\u001b]0;pwned\u0007", computeType: "ACI" }));
    const r = await runCliHere(["plan", "--service-json", join(dir, "svc.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('field "name" should be a service name (printable characters only)');
    expect(r.stderr).toContain("\\x1b]0;pwned\\x07");
    expect([...(r.stdout + r.stderr)].filter((ch) => ch === "\u001b" || ch === "\u0007")).toEqual([]);
  });

  it("a size no ACI container had is refused, not printed as Infinity", async () => {
    const dir = tempDir();
    for (const [field, value] of [
      ["cpu", 1e308],
      ["memoryInGB", 1e308],
    ] as const) {
      writeFileSync(
        join(dir, "svc.json"),
        JSON.stringify({ name: "big", computeType: "ACI", containerResourceRequirements: { cpu: 1, memoryInGB: 2, [field]: value } }),
      );
      const r = await runCliHere(["plan", "--service-json", join(dir, "svc.json")]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`field "containerResourceRequirements.${field}" is 1e+308, more than any ACI container group had`);
      expect(r.stdout + r.stderr).not.toContain("Infinity");
    }
  });

  it("plan --out that cannot hold the export says so about --out, before anything is written", async () => {
    const dir = tempDir();
    const code = join(dir, "code");
    mkdirSync(code);
    writeFileSync(join(code, "score.py"), "def init():\n    pass\n\ndef run(raw):\n    return raw\n");
    writeFileSync(join(dir, "a-file"), "x");
    const plan = (out: string) => runCliHere(["plan", "--service-json", repoPath("samples/service-sklearn-1cpu-2gb.json"), "--code-dir", code, "--out", out]);
    for (const [out, message] of [
      [join(dir, "a-file"), /--out .*a-file is a file, not a folder\./],
      ["/dev/null", /--out \/dev\/null is a file, not a folder\./],
      [join(dir, "a-file", "sub"), /--out .*a-file\/sub is under .*a-file, which is a file\./],
      ["", /--out names no folder \(it is empty\)\./],
      [join(code, "export"), /--out .*code\/export is inside the --code-dir/],
    ] as const) {
      const r = await plan(out);
      expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(message)]);
      expect(r.stderr).toMatch(/Next: .*--out/);
      expect(r.stderr).not.toContain("--state-dir");
    }
    expect(readdirSync(code)).toEqual(["score.py"]);
    expect(readFileSync(join(dir, "a-file"), "utf8")).toBe("x");
  });

  it("--concurrency 0 is refused where it counts services or requests", async () => {
    for (const args of [
      ["migrate", "-w", "ws", "--service", "a", "--concurrency", "0", "--yes"],
      ["resume", "20261201-000000-abcd", "--concurrency", "0", "--yes"],
    ]) {
      const r = await runCliHere(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("expected a whole number of 1 or more");
    }
  });

  it("binary input is not echoed raw to the terminal", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "svc.json"), Buffer.from([0x1b, 0x5b, 0x32, 0x4a, 0x00, 0x07, 0xff, 0x41]));
    const r = await runCliHere(["plan", "--service-json", join(dir, "svc.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not text \(it holds binary data\)/);
    expect([...r.stderr].filter((ch) => ch.charCodeAt(0) < 0x09 || ch === "\u001b")).toEqual([]);
  });

  it("thousands of nested brackets are refused before any parser recurses into them", async () => {
    const dir = tempDir();
    for (const file of ["deep.yml", "deep.json"]) {
      writeFileSync(join(dir, file), `${"[".repeat(20_000)}${"]".repeat(20_000)}`);
      const r = await runCliHere(["plan", "--service-json", join(dir, file)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/nests lists or mappings more than 100 levels deep/);
    }
    writeFileSync(join(dir, "quoted.json"), JSON.stringify({ name: "[".repeat(500), computeType: "ACI" }));
    expect((await runCliHere(["plan", "--service-json", join(dir, "quoted.json")])).stderr).not.toMatch(/levels deep/);
  });

  it("a retry line names the status when Azure sent no message", () => {
    expect(transientCause(new AzureRequestError("", 503, undefined, undefined, "OnlineEndpoints_Get"))).toBe("HTTP 503");
    expect(transientCause(new AzureRequestError("", undefined, "ECONNRESET", undefined, "OnlineEndpoints_Get"))).toBe("ECONNRESET");
    expect(transientCause(new AzureRequestError("Busy.", 429, "TooManyRequests", undefined, "X"))).toBe("Busy.");
  });

  it("a stopped sandbox is named as such, with how to start it again", async () => {
    const state = tempDir();
    const sb = await startSandbox({ stateDir: state, speed: 1000 });
    publishConnection(state, sb, 1000);
    await sb.stop(); // the connection file stays behind, naming a live process (this one) and a closed port
    const r = await runCliHere(["--sandbox", "--state-dir", state, "list", "subscriptions"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /Cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)[\s\S]*the sandbox this command attached to has stopped[\s\S]*Next: Start the sandbox again/,
    );
    expect(looksLikeBug(r.stderr)).toBe(false);
  });

  it("an untrusted certificate is not called a busy Azure", async () => {
    const state = tempDir();
    const sb = await startSandbox({ stateDir: state, speed: 1000 });
    try {
      publishConnection(state, sb, 1000);
      writeFileSync(join(state, CA_FILE), (await makeSandboxCertificate()).certPem); // another CA than the one serving
      const r = await runCliHere(["--sandbox", "--state-dir", state, "list", "subscriptions", "--json"]);
      expect(r.code).toBe(1);
      const error = JSON.parse(r.stderr).error;
      expect(error.message).toMatch(/TLS certificate was not accepted/);
      expect(error.next).not.toMatch(/wait a minute/);
    } finally {
      await sb.stop();
    }
  });

  it("503s with Retry-After: 0 are retried no sooner than the first retry delay; before any session the advice is to run the command again", async () => {
    const state = tempDir();
    const seen: number[] = [];
    const sb = await startSandbox({
      stateDir: state,
      speed: 4,
      faults: parseFaultSpec("503@Workspaces_ListBySubscription*20"),
      onResponse: (x) => void (x.operation === "Workspaces_ListBySubscription" && seen.push(Date.now())),
    });
    try {
      publishConnection(state, sb, 4); // retry delay 800 ms / 4 = 200 ms
      const r = await runCliHere(["--sandbox", "--state-dir", state, "list", "workspaces", "--json"]);
      expect(r.code).toBe(1);
      const error = JSON.parse(r.stderr).error;
      expect(error.next).toMatch(/run the same command again/);
      expect(error.next).not.toMatch(/resume/);
      expect(seen.length).toBeGreaterThanOrEqual(5);
      const gaps = seen.slice(1, 5).map((t, i) => t - seen[i]!);
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(180);
    } finally {
      await sb.stop();
    }
  });
});

describe("Storage throttling during the code upload", () => {
  // Eight 429s (Retry-After: 0) in a row on blob uploads: more than the engine's six tries of the code step.
  // The service's lease blob is there already (an earlier run made it), so every put throttled is the code's.
  const sandbox = useAttachedSandbox({ speed: 1000, faults: parseFaultSpec("429@Blob_Put*8") }, (sb) => {
    const empty = createHash("md5").update("").digest("base64");
    const store = sb.world.datastores.find((d) => d.isDefault && d.workspace.endsWith("/ml-batch-eastus"))!;
    sb.world.blobs[`${store.accountName}/${store.containerName}/aci-migrate-leases/ml-batch-eastus/batch-scorer-10`] = {
      sha256: createHash("sha256").update("").digest("hex"),
      size: 0,
      contentType: "application/octet-stream",
      lastModifiedMs: Date.now(),
      etag: '"0x1"',
      contentMd5: empty,
    };
  });

  it("is retried per file after Retry-After, and the code step succeeds", { timeout: 60_000 }, async () => {
    const r = await runBin([
      "--sandbox",
      "--state-dir",
      sandbox.stateDir,
      "migrate",
      "-w",
      "ml-batch-eastus",
      "--service",
      "batch-scorer-10",
      "--yes",
      "--json",
    ]);
    expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(0);
    const throttled = sandbox.served.filter((x) => x.operation === "Blob_Put" && x.status === 429);
    expect(throttled).toHaveLength(8);
    expect(throttled.every((x) => x.path.includes("/LocalUpload/"))).toBe(true);
  });
});

describe("SIGTERM is Ctrl+C", () => {
  const sandbox = useAttachedSandbox({ speed: 100 });

  it("stops the run between requests (exit 130), releases the lock, and resume finishes it with no warning on stderr", { timeout: 90_000 }, async () => {
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
        "-w",
        "ml-batch-eastus",
        "--service",
        "batch-scorer-11",
        "--yes",
        "--json",
      ],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let sessionId = "";
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const e = JSON.parse(line).event;
      if (e?.type === "session-started") sessionId = e.sessionId;
      if (e?.type === "step-started" && e.step === "deployment") child.kill("SIGTERM");
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    expect(code, stderr).toBe(130);
    expect(readdirSync(join(sandbox.stateDir, "sessions")).filter((f) => f.endsWith(".lock"))).toEqual([]);
    const saved = JSON.parse(readFileSync(join(sandbox.stateDir, "sessions", `${sessionId}.json`), "utf8"));
    expect(saved.status).toBe("cancelled");
    // A deployment at this speed is polled well over ten times: each poll used to leave an abort listener behind.
    const resumed = await runBin(["--sandbox", "--state-dir", sandbox.stateDir, "resume", sessionId, "--yes", "--json"]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toBe("");
    expect(documentedStream(resumed.stdout).result.status).toBe("done");
  });
});

describe("a dumb terminal", () => {
  it.skipIf(spawnSync("script", ["--version"]).status !== 0)("gets no colour or bold (in a real pseudo-terminal)", () => {
    const run = (term: string) =>
      spawnSync("script", ["-qec", `${process.execPath} ${repoPath("bin/aci-migrate.js")} skus --cpu 3 --memory 12`, "/dev/null"], {
        env: { ...process.env, TERM: term, NO_COLOR: "" },
        encoding: "utf8",
      }).stdout;
    expect(run("xterm-256color")).toContain("\u001b["); // the pseudo-terminal is real: a capable terminal gets colour
    expect(run("dumb")).not.toContain("\u001b[");
  });
});
