import { request } from "node:https";
import { mkdtemp, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import { afterAll, describe, expect, it } from "vitest";
import { clientOptions } from "../../src/azure/connection.js";
import { ManualClock, startSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { FaultInjector, parseFaultSpec } from "../../src/sandbox/faults.js";
import type { ServedResponse } from "../../src/sandbox/index.js";
import { WORLD_FILE } from "../../src/sandbox/world-store.js";
import { swaggerProblems } from "../helpers/sandbox.js";

// Every body the sandboxes of this file serve is checked against the swagger too.
const served: ServedResponse[] = [];
const record = (r: ServedResponse) => void served.push(r);
afterAll(() => expect(swaggerProblems(served)).toEqual([]));

const RG = "rg-ml-prod";
const WS = "ml-prod-eastus";

function client(sb: Sandbox, extra: object = {}) {
  const sub = sb.world.subscriptions[0]!.subscriptionId;
  return new AzureMachineLearningWorkspaces(sb.credential, sub, {
    ...clientOptions({ armEndpoint: sb.armEndpoint, credential: sb.credential, caPem: sb.caPem }),
    ...extra,
  });
}

/** A clock the test moves, and can make jump right after its next reading (time passing inside a request). */
class JumpingClock extends ManualClock {
  private jump = 0;
  override now(): number {
    const t = super.now();
    if (this.jump) this.advance(this.jump);
    this.jump = 0;
    return t;
  }
  jumpAfterNextRead(ms: number): void {
    this.jump = ms;
  }
}

const WS_PATH = (sb: Sandbox) =>
  `/subscriptions/${sb.world.subscriptions[0]!.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/${WS}`;

function raw(sb: Sandbox, method: string, path: string): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, sb.armEndpoint), { method, ca: sb.caPem, headers: { authorization: `Bearer ${sb.token}` } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, location: res.headers.location }));
    });
    req.on("error", reject);
    req.end();
  });
}

const rawGet = (sb: Sandbox, path: string): Promise<number> =>
  raw(sb, "GET", path).then(
    (r) => r.status,
    () => -1,
  );

describe("time is computed from timestamps, and state survives a restart", () => {
  it("an operation started before a restart has advanced meanwhile; logs appear line by line", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "sandbox-state-"));
    const clock = new ManualClock();
    const first = await startSandbox({ stateDir, clock, speed: 1, onResponse: record });
    const sub = first.world.subscriptions[0]!.subscriptionId;
    const ws = `/subscriptions/${sub}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/${WS}`;
    const ml1 = client(first);
    await ml1.onlineEndpoints.beginCreateOrUpdate(
      RG,
      WS,
      "restart-online",
      { location: "eastus", properties: { authMode: "Key" } },
      { updateIntervalInMs: 60_000 },
    );
    expect((await ml1.onlineEndpoints.get(RG, WS, "restart-online")).properties.provisioningState).toBe("Creating");
    clock.advance(120_000); // endpoints take 90 s (±10%) at speed 1
    expect((await ml1.onlineEndpoints.get(RG, WS, "restart-online")).properties.provisioningState).toBe("Succeeded");
    await ml1.onlineDeployments.beginCreateOrUpdate(
      RG,
      WS,
      "restart-online",
      "blue",
      {
        location: "eastus",
        sku: { name: "Default", capacity: 1 },
        properties: {
          endpointComputeType: "Managed",
          instanceType: "Standard_DS1_v2",
          model: `${ws}/models/churn-model/versions/3`,
          environmentId: `${ws}/environments/sklearn-inference-env/versions/4`,
        },
      },
      { updateIntervalInMs: 60_000 },
    );
    clock.advance(60_000);
    const early = (await ml1.onlineDeployments.getLogs(RG, WS, "restart-online", "blue", { containerType: "StorageInitializer" })).content!;
    await first.stop();
    expect((await stat(join(stateDir, WORLD_FILE))).mode & 0o777).toBe(0o600);

    clock.advance(200_000); // the sandbox is down; the deployment (~10 min) keeps going
    const second = await startSandbox({ stateDir, clock, speed: 1, onResponse: record });
    try {
      expect(second.armEndpoint).not.toBe(first.armEndpoint); // new port, new certificate, same world
      const ml2 = client(second);
      const d = await ml2.onlineDeployments.get(RG, WS, "restart-online", "blue");
      expect(d.properties.provisioningState).toBe("Creating");
      const later = (await ml2.onlineDeployments.getLogs(RG, WS, "restart-online", "blue", { containerType: "StorageInitializer" })).content!;
      expect(later.split("\n").length).toBeGreaterThan(early.split("\n").length);
      expect(later.startsWith(early)).toBe(true); // the same lines, more of them
      clock.advance(600_000);
      expect((await ml2.onlineDeployments.get(RG, WS, "restart-online", "blue")).properties.provisioningState).toBe("Succeeded");
      expect((await ml2.onlineDeployments.getLogs(RG, WS, "restart-online", "blue", {})).content).toContain("ready for requests");
    } finally {
      await second.stop();
    }
  });

  it("a request sees one instant: an operation it reports finished has left its result behind", async () => {
    // The clock moves past the endpoint's deletion while the request is being handled (a loaded machine: the
    // read before the route and the route's own read straddle the end). The answer and the world must agree.
    const clock = new JumpingClock();
    const sb = await startSandbox({ clock, speed: 1, onResponse: record });
    try {
      const ml = client(sb);
      await ml.onlineEndpoints.beginCreateOrUpdate(
        RG,
        WS,
        "instant-online",
        { location: "eastus", properties: { authMode: "Key" } },
        { updateIntervalInMs: 60_000 },
      );
      clock.advance(120_000);
      const deletion = await raw(sb, "DELETE", `${WS_PATH(sb)}/onlineEndpoints/instant-online?api-version=2022-10-01`);
      expect(deletion.status).toBe(202);
      const exists = () => sb.world.endpoints.some((e) => e.name === "instant-online");
      for (;;) {
        clock.jumpAfterNextRead(15_000); // endpoint deletions take 40 s (±10%) at speed 1
        const { status } = await raw(sb, "GET", deletion.location!);
        if (status === 202) continue;
        expect(status).toBe(204);
        break;
      }
      expect(exists()).toBe(false);
    } finally {
      await sb.stop();
    }
  });

  it("refuses a state file it cannot read, and leaves it untouched", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "sandbox-state-"));
    const { writeFile, readFile } = await import("node:fs/promises");
    await writeFile(join(stateDir, WORLD_FILE), "{ not json");
    await expect(startSandbox({ stateDir })).rejects.toThrow(/unreadable/);
    expect(await readFile(join(stateDir, WORLD_FILE), "utf8")).toBe("{ not json");
  });
});

describe("fault injection", () => {
  it("parses the --faults spec", () => {
    expect(parseFaultSpec("429@0.2,503@OnlineEndpoints_Get*2,drop@Workspaces_Get,latency=250,seed=7")).toEqual({
      rules: [
        { kind: "status", status: 429, share: 0.2, operation: undefined, times: undefined },
        { kind: "status", status: 503, share: undefined, operation: "OnlineEndpoints_Get", times: 2 },
        { kind: "drop", status: undefined, share: undefined, operation: "Workspaces_Get", times: undefined },
      ],
      latencyMs: 250,
      seed: 7,
    });
    expect(() => parseFaultSpec("teapot@1")).toThrow(/Unknown fault "teapot@1"/);
  });

  it("draws each answer's latency from a range, the same way for the same seed", () => {
    const spec = parseFaultSpec("latency=25-50,seed=3");
    expect(spec).toMatchObject({ latencyMs: 25, latencyMaxMs: 50 });
    const draws = (n: number) =>
      Array.from(
        { length: n },
        (
          (f) => () =>
            f.latencyMs()
        )(new FaultInjector(spec)),
      );
    const drawn = draws(200);
    expect(Math.min(...drawn)).toBeGreaterThanOrEqual(25);
    expect(Math.max(...drawn)).toBeLessThanOrEqual(50);
    expect(new Set(drawn).size).toBeGreaterThan(10);
    expect(draws(200)).toEqual(drawn);
    expect(new FaultInjector(parseFaultSpec("latency=40")).latencyMs()).toBe(40);
  });

  it.each([
    ["429 with Retry-After", "429@Workspaces_Get*2", [429, 429, 200]],
    ["500", "500@Workspaces_Get*1", [500, 200]],
    ["503", "503@Workspaces_Get*1", [503, 200]],
  ])("%s on a named route: the SDK's retry policies carry the call through", async (_label, spec, statuses) => {
    const seen: number[] = [];
    const sb = await startSandbox({
      speed: 1000,
      faults: parseFaultSpec(spec),
      onResponse: (r) => (record(r), r.operation === "Workspaces_Get" && seen.push(r.status)),
    });
    try {
      const ws = await client(sb, { retryOptions: { retryDelayInMs: 5, maxRetryDelayInMs: 20 } }).workspaces.get(RG, WS);
      expect(ws.name).toBe(WS);
      expect(seen).toEqual(statuses);
    } finally {
      await sb.stop();
    }
  });

  it("a dropped connection is retried", async () => {
    let answered = 0;
    const sb = await startSandbox({
      speed: 1000,
      faults: parseFaultSpec("drop@Workspaces_Get*1"),
      onResponse: (r) => (record(r), r.operation === "Workspaces_Get" && answered++),
    });
    try {
      expect((await client(sb, { retryOptions: { retryDelayInMs: 5, maxRetryDelayInMs: 20 } }).workspaces.get(RG, WS)).name).toBe(WS);
      expect(answered).toBe(1); // the first request got no answer at all
    } finally {
      await sb.stop();
    }
  });

  it("faults on a share of requests are deterministic under a seed", async () => {
    async function pattern(seed: number): Promise<number[]> {
      const sb = await startSandbox({ faults: { ...parseFaultSpec("429@0.4"), seed }, onResponse: record });
      try {
        const out: number[] = [];
        for (let i = 0; i < 20; i++) out.push(await rawGet(sb, "/subscriptions?api-version=2022-12-01"));
        return out;
      } finally {
        await sb.stop();
      }
    }
    const a = await pattern(3);
    expect(await pattern(3)).toEqual(a);
    expect(a).toContain(429);
    expect(a).toContain(200);
    expect(await pattern(4)).not.toEqual(a);
  });

  it("share rules split the requests between them", async () => {
    const sb = await startSandbox({ faults: parseFaultSpec("429@0.5,503@0.5,seed=5"), onResponse: record });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push(await rawGet(sb, "/subscriptions?api-version=2022-12-01"));
      expect(new Set(statuses)).toEqual(new Set([429, 503]));
    } finally {
      await sb.stop();
    }
  });

  it("adds latency", async () => {
    const sb = await startSandbox({ faults: parseFaultSpec("latency=150") });
    try {
      const t = Date.now();
      expect(await rawGet(sb, "/subscriptions?api-version=2022-12-01")).toBe(200);
      expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    } finally {
      await sb.stop();
    }
  });
});
