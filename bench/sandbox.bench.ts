import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, bench, describe } from "vitest";
import { AzureMigrationAdapter } from "../src/azure/migration-adapter.js";
import { mapBounded } from "../src/azure/bounded.js";
import { listV1Services, type WorkspaceSummary } from "../src/azure/workspaces.js";
import { connectionFor } from "../src/cli/sandbox-connection.js";
import { buildPlan } from "../src/domain/plan.js";
import { parseServiceJson } from "../src/domain/parse-service-json.js";
import { runMigration } from "../src/migration/engine.js";
import { SessionStore } from "../src/session/journal.js";
import { newStepRecords } from "../src/session/session-file.js";
import { parseFaultSpec, startSandbox, type Sandbox } from "../src/sandbox/index.js";
import { stableGuid } from "../src/sandbox/ids.js";

/**
 * Ratios the engine's design promises, measured against the sandbox with 25 ms added to every request:
 * - listing 50 workspaces concurrently vs one after another (vitest prints "× faster than");
 * - one migration's wall time over the sandbox's own provisioning time (printed; overhead of the tool);
 * - 20 services vs one (printed; what concurrency buys).
 */
const SPEED = 200;
let sb: Sandbox;
let workspaces: WorkspaceSummary[] = [];
let next = 0;

beforeAll(async () => {
  sb = await startSandbox({ speed: SPEED, faults: parseFaultSpec("latency=25") });
  for (const q of sb.world.quotaLimits) q.limit = 10_000;
  // 47 more workspaces like the batch one, so there are 50 to list.
  const template = sb.world.workspaces.find((w) => w.name === "ml-batch-eastus")!;
  const key = (name: string) =>
    `/subscriptions/${template.subscriptionId}/resourcegroups/${template.resourceGroup}/providers/microsoft.machinelearningservices/workspaces/${name}`.toLowerCase();
  for (let i = 0; i < 47; i++) {
    const name = `ml-bench-${i}`;
    sb.world.workspaces.push({ ...template, name, workspaceGuid: stableGuid(`bench:${i}`) });
    for (const s of sb.world.services.filter((x) => x.workspace === key("ml-batch-eastus")).slice(0, 5)) sb.world.services.push({ ...s, workspace: key(name) });
  }
  const conn = connection();
  workspaces = sb.world.workspaces.map((w) => ({
    subscriptionId: w.subscriptionId,
    resourceGroup: w.resourceGroup,
    workspace: w.name,
    location: w.location,
    discoveryUrl: `${sb.armEndpoint}/discovery/${w.location}`,
  }));
  void conn;
});
afterAll(() => sb.stop());

const connection = () => connectionFor({ ...sb, speed: SPEED });

async function migrate(count: number): Promise<{ wallMs: number; provisioningMs: number }> {
  const conn = connection();
  const port = new AzureMigrationAdapter(conn);
  const target = { subscriptionId: sb.world.subscriptions[0]!.subscriptionId, resourceGroup: "rg-ml-prod", workspace: "ml-batch-eastus", location: "eastus" };
  const names = Array.from({ length: count }, () => `batch-scorer-${String((next++ % 23) + 1).padStart(2, "0")}`);
  const services = [];
  for (const name of names) {
    const doc = (await port.getV1Service(target, name))!;
    const suffix = `b${next}`;
    services.push({
      name,
      overrides: { endpointName: `${name}-${suffix}` },
      plan: buildPlan(parseServiceJson(doc, name), { endpointName: `${name}-${suffix}` }),
      steps: newStepRecords(),
      resources: {},
    });
  }
  const store = new SessionStore(mkdtempSync(join(tmpdir(), "bench-")));
  const session = store.create({ status: "running", target: { kind: "sandbox", armEndpoint: sb.armEndpoint, ...target }, services });
  const opsBefore = sb.world.operations.length;
  const t = performance.now();
  const status = await runMigration({ port, session, emit: () => {}, secrets: new Set(), concurrency: 20 });
  const wallMs = performance.now() - t;
  if (status !== "done") throw new Error(`bench migration ended ${status}`);
  session.release();
  // The sandbox's own provisioning time on the critical path of one service: endpoint + deployment + traffic.
  const ops = sb.world.operations.slice(opsBefore);
  const perService = ops.reduce((a, o) => a + o.durationMs, 0) / count;
  return { wallMs, provisioningMs: perService };
}

describe("discovery: 50 workspaces", () => {
  bench(
    "sequential",
    async () => {
      for (const ws of workspaces) await listV1Services(connection(), ws);
    },
    { iterations: 3, time: 0, warmupIterations: 0 },
  );
  bench(
    "concurrent (8 at a time)",
    async () => {
      await mapBounded(workspaces, 8, (ws) => listV1Services(connection(), ws));
    },
    { iterations: 3, time: 0, warmupIterations: 0 },
  );
});

describe("migration", () => {
  let one = 0;
  bench(
    "one service",
    async () => {
      const r = await migrate(1);
      one = r.wallMs;
      console.log(
        `one migration: ${Math.round(r.wallMs)} ms wall for ${Math.round(r.provisioningMs)} ms of sandbox provisioning → ratio ${(r.wallMs / r.provisioningMs).toFixed(2)}`,
      );
    },
    { iterations: 1, time: 0, warmupIterations: 0 },
  );
  bench(
    "20 services",
    async () => {
      const r = await migrate(20);
      console.log(`20 services: ${Math.round(r.wallMs)} ms wall vs ${Math.round(one)} ms for one → ratio ${(r.wallMs / one).toFixed(2)}`);
    },
    { iterations: 1, time: 0, warmupIterations: 0 },
  );
});
