import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { STEP_NAMES } from "../../src/session/session-file.js";
import { repoPath } from "../helpers/fixtures.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";
import { runBin } from "../helpers/run-bin.js";
import { documentedStream } from "../helpers/json-schema.js";

/**
 * Crash tests: `migrate --json` is killed with SIGKILL at every step boundary and inside every long-running
 * operation; `resume` in a new process must finish with exactly one endpoint, one deployment and one code version
 * for the service, traffic at 100%, and no operation started twice.
 */
const SPEED = 2000; // a deployment takes a third of a second: the kill still lands inside it (its first poll)
type Event = { type: string; step?: string };
interface CrashPoint {
  readonly label: string;
  readonly at: (e: Event) => boolean;
}
const POINTS: CrashPoint[] = [
  { label: "after the session started", at: (e) => e.type === "session-started" },
  ...STEP_NAMES.flatMap((step) => [
    { label: `as ${step} starts`, at: (e: Event) => e.type === "step-started" && e.step === step },
    { label: `after ${step} finished`, at: (e: Event) => e.type === "step-finished" && e.step === step },
  ]),
  { label: "inside the endpoint LRO", at: (e) => e.type === "step-progress" && e.step === "endpoint" },
  { label: "inside the deployment LRO", at: (e) => e.type === "log-lines" || (e.type === "step-progress" && e.step === "deployment") },
  { label: "inside the traffic LRO", at: (e) => e.type === "step-progress" && e.step === "traffic" },
];

// Room for one deployment per crash point.
const sandbox = useAttachedSandbox({ speed: SPEED }, (sb) => sb.world.quotaLimits.forEach((q) => (q.limit = 500)));

function migrateUntil(service: string, point: CrashPoint): Promise<{ sessionId: string; killed: boolean; stderr: string; code: number | string | null }> {
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
      "--workspace",
      "ml-batch-eastus",
      "--service",
      service,
      "--yes",
      "--json",
    ],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let sessionId = "";
  let killed = false;
  // What the child said is kept: a run that ends before its crash point is shown with its reason.
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const e = JSON.parse(line).event as (Event & { sessionId?: string }) | undefined;
    if (e?.type === "session-started") sessionId = e.sessionId!;
    if (e && !killed && point.at(e)) {
      killed = child.kill("SIGKILL");
    }
  });
  // A child ended by a signal it was not sent here (the OOM killer on a crowded machine) says which.
  return new Promise((resolve) =>
    child.once("close", (code, signal) => resolve({ sessionId, killed, stderr, code: code ?? (killed ? null : `signal ${signal}`) })),
  );
}

describe("killed at every step boundary and inside every LRO, resume finishes without duplicates", () => {
  it.each(POINTS.map((p, i) => ({ ...p, service: `batch-scorer-${String(i + 1).padStart(2, "0")}` })))("$label ($service)", async ({ service, at, label }) => {
    const { sessionId, killed, stderr, code } = await migrateUntil(service, { label, at });
    expect(sessionId, `migrate exited ${code} before starting a session: ${stderr}`).not.toBe("");
    expect(killed, `migrate exited ${code} before ${label}: ${stderr}`).toBe(true);
    const r = await runBin(["--sandbox", "--state-dir", sandbox.stateDir, "resume", sessionId, "--yes", "--json"]);
    expect(r.stdout.trim(), `resume exited ${r.code} and printed nothing: ${r.stderr}`).not.toBe("");
    const { result: final } = documentedStream(r.stdout);
    expect(final.status, r.stderr).toBe("done");
    const endpoint = `${service}-online`;
    const target = (kind: string) => sandbox.sb.world.operations.filter((o) => o.kind === kind && o.target.endsWith(`/onlineendpoints/${endpoint}`)).length;
    expect(sandbox.sb.world.endpoints.filter((e) => e.name === endpoint)).toHaveLength(1);
    expect(sandbox.sb.world.deployments.filter((d) => d.endpoint === endpoint)).toHaveLength(1);
    expect(sandbox.sb.world.codes.filter((c) => c.name === `${service}-code`)).toHaveLength(1);
    expect(sandbox.sb.world.endpoints.find((e) => e.name === endpoint)!.traffic).toEqual({ blue: 100 });
    expect(target("endpoint-create")).toBe(1);
    expect(sandbox.sb.world.operations.filter((o) => o.kind === "deployment-create" && o.target.includes(`/onlineendpoints/${endpoint}/`))).toHaveLength(1);
  });
});
