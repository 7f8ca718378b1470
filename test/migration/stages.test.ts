import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildPlan } from "../../src/domain/plan.js";
import { parseServiceJson } from "../../src/domain/parse-service-json.js";
import { runMigration, STAGES } from "../../src/migration/engine.js";
import type { MigrationEvent } from "../../src/migration/events.js";
import type { MigrationPort } from "../../src/migration/port.js";
import { SessionStore } from "../../src/session/journal.js";
import { newStepRecords, STEP_NAMES } from "../../src/session/session-file.js";
import { fakeAzure, type FakeAzure } from "../helpers/fake-azure.js";

let fake: FakeAzure | undefined;
let dir = "";
afterEach(() => {
  fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The fake workspace's port, with the code upload held until `release` (or failing once with `fail`). */
function slowCode(port: MigrationPort, o: { fail?: boolean } = {}) {
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  let failures = o.fail ? 1 : 0;
  const wrapped: MigrationPort = {
    ...port,
    ensureCode: async (...args: Parameters<MigrationPort["ensureCode"]>) => {
      await held;
      if (failures-- > 0) throw Object.assign(new Error("The code folder was refused."), { status: 400 });
      return port.ensureCode(...args);
    },
  };
  return { port: wrapped, release: () => release() };
}

function session(f: FakeAzure) {
  dir = mkdtempSync(join(tmpdir(), "aci-stages-"));
  const store = new SessionStore(dir);
  const doc = f.services.get("alpha")!;
  return store.create({
    status: "running",
    target: { kind: "sandbox", armEndpoint: "https://127.0.0.1:1", ...f.ws },
    services: [{ name: "alpha", overrides: {}, plan: buildPlan(parseServiceJson(doc, "ws/alpha")), steps: newStepRecords(), resources: {} }],
  });
}

describe("steps that do not depend on each other overlap", () => {
  it("every step is in one stage, in the journal's order", () => {
    expect(STAGES.flat(2)).toEqual([...STEP_NAMES]);
  });

  it("creates the endpoint while the code uploads, and deploys only once both are done", async () => {
    fake = fakeAzure(["alpha"]);
    const code = slowCode(fake.port);
    const events: MigrationEvent[] = [];
    const s = session(fake);
    const run = runMigration({
      port: code.port,
      session: s,
      secrets: new Set(),
      emit: (e) => {
        events.push(e);
        if (e.type === "step-finished" && e.step === "endpoint") code.release();
      },
    });
    expect(await run).toBe("done");
    const order = events
      .filter((e) => e.type === "step-started" || e.type === "step-finished")
      .map((e) => `${e.type === "step-started" ? "start" : "end"} ${e.step}`);
    expect(order.indexOf("end endpoint")).toBeLessThan(order.indexOf("end code"));
    expect(order.indexOf("start deployment")).toBeGreaterThan(order.indexOf("end model"));
    expect(order.indexOf("start deployment")).toBeGreaterThan(order.indexOf("end endpoint"));
    s.release();
  });

  it("a failed lane stops the stage: the endpoint under way finishes, nothing after starts, and a resume finishes the rest", async () => {
    fake = fakeAzure(["alpha"]);
    const code = slowCode(fake.port, { fail: true });
    const events: MigrationEvent[] = [];
    const s = session(fake);
    const status = await runMigration({
      port: code.port,
      session: s,
      secrets: new Set(),
      backoffMs: 1,
      emit: (e) => {
        events.push(e);
        if (e.type === "step-finished" && e.step === "endpoint") code.release();
      },
    });
    expect(status).toBe("failed");
    const alpha = s.data.services[0]!;
    expect(alpha.steps.code.status).toBe("failed");
    expect(alpha.steps.endpoint.status).toBe("done");
    expect(["model", "deployment", "smoke-test", "traffic"].map((n) => alpha.steps[n as keyof typeof alpha.steps].status)).toEqual([
      "pending",
      "pending",
      "pending",
      "pending",
    ]);
    expect(events.some((e) => e.type === "step-started" && e.step === "deployment")).toBe(false);
    // The same session again: the endpoint is reconciled (found, not made twice) and the rest runs.
    expect(await runMigration({ port: code.port, session: s, secrets: new Set(), emit: () => {}, resumed: true })).toBe("done");
    expect(fake.endpoints.size).toBe(1);
    s.release();
  });

  it("a new deployment: its model and environment are read while the endpoint provisions, and a new endpoint is not searched for deployments", async () => {
    fake = fakeAzure(["alpha"]);
    const port = fake.port;
    const calls: string[] = [];
    const traced: MigrationPort = {
      ...port,
      getDeployment: (...args) => (calls.push("getDeployment"), port.getDeployment(...args)),
      createOrUpdateEndpoint: async (...args) => {
        calls.push("createOrUpdateEndpoint");
        await new Promise((r) => setTimeout(r, 50)); // provisioning takes a while; the code lane is done first
        const e = await port.createOrUpdateEndpoint(...args);
        calls.push("endpoint provisioned");
        return e;
      },
      modelVersionId: (...args) => (calls.push("modelVersionId"), port.modelVersionId(...args)),
      environmentVersion: (...args) => (calls.push("environmentVersion"), port.environmentVersion(...args)),
      createOrUpdateDeployment: (...args) => (calls.push("createOrUpdateDeployment"), port.createOrUpdateDeployment(...args)),
    };
    const s = session(fake);
    expect(await runMigration({ port: traced, session: s, secrets: new Set(), emit: () => {} })).toBe("done");
    const beforePut = calls.slice(0, calls.indexOf("createOrUpdateDeployment"));
    expect(beforePut).not.toContain("getDeployment"); // the endpoint was created by this run: it has no deployments
    expect(beforePut.indexOf("modelVersionId")).toBeLessThan(beforePut.indexOf("endpoint provisioned"));
    expect(beforePut.indexOf("environmentVersion")).toBeLessThan(beforePut.indexOf("endpoint provisioned"));
    s.release();
  });
});
