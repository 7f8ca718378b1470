import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { repoPath } from "../helpers/fixtures.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";

const sandbox = useAttachedSandbox({ speed: 300 });

/** Runs the binary; resolves with its last stdout line, when that line came and when the process ended. */
function timed(args: string[]): Promise<{ last: string; afterLastMs: number; code: number | null }> {
  const env = { ...process.env };
  delete env.CI;
  const child = spawn(process.execPath, [repoPath("bin/aci-migrate.js"), "--sandbox", "--state-dir", sandbox.stateDir, ...args], {
    env,
    stdio: ["ignore", "pipe", "ignore"],
  });
  let last = "";
  let at = 0;
  createInterface({ input: child.stdout! }).on("line", (line) => ((last = line), (at = Date.now())));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ last, afterLastMs: Date.now() - at, code })));
}

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
});
