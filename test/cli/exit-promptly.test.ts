import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { repoPath } from "../helpers/fixtures.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";

const sandbox = useAttachedSandbox({ speed: 300 });

/** Runs the binary; resolves with its last stdout line, when that line came and when the process ended. */
function timed(args: string[], nodeArgs: string[] = []): Promise<{ last: string; afterLastMs: number; code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.CI;
  const child = spawn(process.execPath, [...nodeArgs, repoPath("bin/aci-migrate.js"), "--sandbox", "--state-dir", sandbox.stateDir, ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let last = "";
  let at = 0;
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  createInterface({ input: child.stdout! }).on("line", (line) => ((last = line), (at = Date.now()), (stdout += `${line}\n`)));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ last, afterLastMs: Date.now() - at, code, stdout, stderr })));
}

/** Loaded before the binary: a connection that never sends a whole request holds the event loop. */
const HOLD_EVENT_LOOP = ["--import", pathToFileURL(repoPath("test/fixtures/preload/hold-event-loop.mjs")).href];

/** Not a speed target: a process held by leftover work lingered 59-90 s; a busy machine may take a moment to exit. */
const PROMPTLY_MS = 5000;

describe("the process ends with its result", () => {
  it("a batch migrate, then a resume of it, each exit right after the final line", async () => {
    const migrate = await timed(["migrate", "-w", "ml-prod-eastus", "--service", "iris-noauth", "--service", "churn-keyauth", "--yes", "--json"]);
    expect(migrate.code).toBe(0);
    expect(migrate.afterLastMs).toBeLessThan(PROMPTLY_MS);
    const session = JSON.parse(migrate.last).sessionId as string;
    const resume = await timed(["resume", session, "--yes", "--json"]);
    expect([resume.code, JSON.parse(resume.last).status]).toEqual([0, "done"]);
    expect(resume.afterLastMs).toBeLessThan(PROMPTLY_MS);
  }, 120_000);

  it("ends within a moment of its result though something still holds the event loop, and --verbose says what", async () => {
    const plain = await timed(["services", "-w", "ml-prod-eastus", "--json"], HOLD_EVENT_LOOP);
    expect(plain.code, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ subscriptions: [{ workspaces: [{ resourceGroup: "rg-ml-prod" }] }] }); // whole, before the end
    expect(plain.afterLastMs).toBeLessThan(PROMPTLY_MS);
    expect(plain.stderr).toBe(""); // under --json stderr holds only an error's object

    const verbose = await timed(["services", "-w", "ml-prod-eastus", "--verbose"], HOLD_EVENT_LOOP);
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.afterLastMs).toBeLessThan(PROMPTLY_MS);
    expect(verbose.stderr).toMatch(/still open 1000 ms after the result, so ended: .*TCP(Socket|Server)Wrap/);
  }, 60_000);
});
