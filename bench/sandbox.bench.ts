import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, bench, describe } from "vitest";
import { AzureMigrationAdapter } from "../src/azure/migration-adapter.js";
import { discoverServices } from "../src/azure/discovery.js";
import { listMigratedEndpoints, listSubscriptions, listV1Services, listWorkspaces } from "../src/azure/workspaces.js";
import { connectionFor } from "../src/cli/sandbox-connection.js";
import { buildPlan } from "../src/domain/plan.js";
import { parseServiceJson } from "../src/domain/parse-service-json.js";
import { runMigration } from "../src/migration/engine.js";
import { SessionStore } from "../src/session/journal.js";
import { newStepRecords } from "../src/session/session-file.js";
import { parseFaultSpec, startSandbox, type Sandbox } from "../src/sandbox/index.js";
import { addWorkspaces } from "../test/helpers/many-workspaces.js";
import { median, reportLine, reportRatio, ONCE } from "./support/report.js";

/**
 * Ratios the engine's design promises, measured against the sandbox with latency added to every request:
 * - listing 50 workspaces (25-50 ms per request): the tool's pipeline vs one request after another (≥ 10× faster),
 *   and vs the same pipeline listing one workspace (≤ 3×);
 * - one migration's wall time over the sandbox's own provisioning time on its path (≤ provisioning + 0.5 s);
 * - 20 services at once vs one (≤ 1.3×);
 * - scale: 100 workspaces holding 1,000 services at 50 ms, against 10 holding 100: time and peak RSS of the listing,
 *   each in a process of its own (the sandbox's memory is not the tool's), medians of 3.
 */
const SPEED = 200;
const execFileAsync = promisify(execFile);
let next = 0;

const sandboxes: Sandbox[] = [];
async function sandbox(faults: string, prepare: (sb: Sandbox) => void): Promise<Sandbox> {
  const sb = await startSandbox({ speed: SPEED, faults: parseFaultSpec(faults) });
  prepare(sb);
  sandboxes.push(sb);
  return sb;
}
afterAll(() => Promise.all(sandboxes.map((s) => s.stop())));

const connection = (sb: Sandbox) => connectionFor({ ...sb, speed: SPEED });

/** One request after another, as a loop over the SDK calls would do it. */
async function sequential(sb: Sandbox): Promise<number> {
  const conn = connection(sb);
  let services = 0;
  for (const sub of await listSubscriptions(conn))
    for (const ws of await listWorkspaces(conn, sub.subscriptionId)) {
      services += (await listV1Services(conn, ws)).length;
      await listMigratedEndpoints(conn, ws);
    }
  return services;
}

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await f();
  return { ms: performance.now() - t, value };
}

describe("discovery: 50 workspaces, 25-50 ms a request", () => {
  bench(
    "pipeline vs sequential vs one workspace",
    async () => {
      const sb = await sandbox("latency=25-50", (s) => addWorkspaces(s, 47, 5));
      const one = await timed(() => discoverServices(connection(sb), { workspace: "ml-prod-eastus" }));
      const seq = await timed(() => sequential(sb));
      const all = await timed(() => discoverServices(connection(sb)));
      const count = all.value.flatMap((s) => s.workspaces).length;
      reportRatio(
        "listing 50 workspaces: sequential vs the tool's pipeline (× faster)",
        `${count} workspaces in ${all.ms.toFixed(0)} ms vs ${seq.ms.toFixed(0)} ms one request at a time`,
        seq.ms / all.ms,
        { atLeast: 10 },
      );
      reportRatio("listing 50 workspaces vs one workspace's own listing", `${all.ms.toFixed(0)} ms vs ${one.ms.toFixed(0)} ms`, all.ms / one.ms, { atMost: 3 });
    },
    ONCE,
  );
});

describe("scale: 1,000 services in 100 workspaces, 50 ms a request", () => {
  bench(
    "100 services vs 1,000",
    async () => {
      const run = async (workspaces: number) => discoverInChild(await sandbox("latency=50", (s) => addWorkspaces(s, workspaces - 3, 10)));
      // Three of each, alternating, medians.
      const smalls: Listing[] = [];
      const larges: Listing[] = [];
      for (let i = 0; i < 3; i++) {
        smalls.push(await run(10));
        larges.push(await run(100));
      }
      const middle = (xs: Listing[]) => ({
        ms: median(xs.map((x) => x.ms)),
        peakMb: median(xs.map((x) => x.peakMb)),
        services: xs[0]!.services,
      });
      const small = middle(smalls);
      const large = middle(larges);
      reportLine(
        "scale",
        `${small.services} services in ${small.ms.toFixed(0)} ms (peak RSS +${small.peakMb.toFixed(0)} MB); ${large.services} in ${large.ms.toFixed(0)} ms (peak RSS +${large.peakMb.toFixed(0)} MB)`,
      );
      const grows = large.services / small.services;
      reportRatio(`scale: time growth for ${grows.toFixed(0)}× the services`, `${(large.ms / small.ms).toFixed(2)}× the time`, large.ms / small.ms / grows, {
        atMost: 1,
      });
      reportRatio(
        `scale: peak RSS growth for ${grows.toFixed(0)}× the services`,
        `${(large.peakMb / Math.max(1, small.peakMb)).toFixed(2)}× the memory`,
        large.peakMb / Math.max(1, small.peakMb) / grows,
        { atMost: 1 },
      );
    },
    ONCE,
  );
});

type Listing = { ms: number; services: number; peakMb: number };

/** One listing of everything `sb` serves, in a process of its own (bench/support/discover-in-child.mjs). */
async function discoverInChild(sb: Sandbox): Promise<Listing> {
  const info = JSON.stringify({ armEndpoint: sb.armEndpoint, caPem: sb.caPem, token: sb.token, speed: SPEED });
  const { stdout } = await execFileAsync(process.execPath, [fileURLToPath(new URL("./support/discover-in-child.mjs", import.meta.url))], {
    env: { ...process.env, ACI_MIGRATE_BENCH_SANDBOX: info },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

async function migrate(sb: Sandbox, count: number): Promise<{ wallMs: number; provisioningMs: number }> {
  const conn = connection(sb);
  const port = new AzureMigrationAdapter(conn);
  const target = { subscriptionId: sb.world.subscriptions[0]!.subscriptionId, resourceGroup: "rg-ml-prod", workspace: "ml-batch-eastus", location: "eastus" };
  const names = Array.from({ length: count }, () => `batch-scorer-${String((next++ % 23) + 1).padStart(2, "0")}`);
  const services = [];
  for (const name of names) {
    const doc = (await port.getV1Service(target, name))!;
    const endpointName = `${name}-b${next}`;
    services.push({
      name,
      overrides: { endpointName },
      plan: buildPlan(parseServiceJson(doc, name), { endpointName }),
      steps: newStepRecords(),
      resources: {},
    });
  }
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  try {
    const store = new SessionStore(dir);
    const session = store.create({ status: "running", target: { kind: "sandbox", armEndpoint: sb.armEndpoint, ...target }, services });
    const opsBefore = sb.world.operations.length;
    const t = performance.now();
    const status = await runMigration({ port, session, emit: () => {}, secrets: new Set(), concurrency: 20 });
    const wallMs = performance.now() - t;
    if (status !== "done") throw new Error(`bench migration ended ${status}`);
    session.release();
    // The sandbox's own provisioning time on the critical path of one service: endpoint + deployment + traffic.
    const ops = sb.world.operations.slice(opsBefore);
    return { wallMs, provisioningMs: ops.reduce((a, o) => a + o.durationMs, 0) / count };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("migration, 25 ms a request", () => {
  bench(
    "one service, then 20 at once",
    async () => {
      const sb = await sandbox("latency=25", (s) => s.world.quotaLimits.forEach((q) => (q.limit = 10_000)));
      const one = await migrate(sb, 1);
      reportRatio(
        "one migration's wall time vs the sandbox's provisioning on its path",
        `${one.wallMs.toFixed(0)} ms wall for ${one.provisioningMs.toFixed(0)} ms of provisioning (${(one.wallMs - one.provisioningMs).toFixed(0)} ms over; target ≤ 500 ms over)`,
        one.wallMs / one.provisioningMs,
        { atMost: (one.provisioningMs + 500) / one.provisioningMs },
      );
      const twenty = await migrate(sb, 20);
      reportRatio("20 services at once vs one", `${twenty.wallMs.toFixed(0)} ms vs ${one.wallMs.toFixed(0)} ms`, twenty.wallMs / one.wallMs, { atMost: 1.3 });
    },
    ONCE,
  );
});
