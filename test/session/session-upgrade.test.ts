import { describe, expect, it } from "vitest";
import { SESSION_SCHEMA_VERSION, STEP_NAMES, upgradeSession, type SessionFile, type StepRecord } from "../../src/session/session-file.js";

/** A session file as an older aci-migrate wrote it: only the steps it knew, each with the status given. */
function olderSession(schemaVersion: number, statuses: Record<string, StepRecord["status"]>): SessionFile {
  const steps = Object.fromEntries(Object.entries(statuses).map(([n, status]) => [n, { status, attempts: status === "pending" ? 0 : 1 }]));
  return { schemaVersion, id: "20261201-000000-abcd", services: [{ name: "svc", steps }] } as unknown as SessionFile;
}

describe("a session file of an older schema", () => {
  it("schema 2 (no compare step): compare passed where traffic had moved, pending where it had not, in step order", () => {
    const moved = upgradeSession(
      olderSession(2, { preflight: "done", code: "done", model: "skipped", endpoint: "done", deployment: "done", "smoke-test": "done", traffic: "done" }),
    );
    expect(moved.schemaVersion).toBe(SESSION_SCHEMA_VERSION);
    expect(Object.keys(moved.services[0]!.steps)).toEqual([...STEP_NAMES]);
    expect(moved.services[0]!.steps.compare).toEqual({ status: "skipped", attempts: 0, detail: "nothing replayed (recorded before the compare step existed)" });
    const stopped = upgradeSession(
      olderSession(2, { preflight: "done", code: "done", model: "done", endpoint: "done", deployment: "failed", "smoke-test": "pending", traffic: "pending" }),
    );
    expect(stopped.services[0]!.steps.compare).toEqual({ status: "pending", attempts: 0 });
  });

  it("schema 1 (neither model nor compare): both added as their later steps say", () => {
    const s = upgradeSession(
      olderSession(1, { preflight: "done", code: "done", endpoint: "done", deployment: "done", "smoke-test": "done", traffic: "pending" }),
    );
    expect(s.services[0]!.steps.model).toMatchObject({ status: "skipped", detail: "one registered model (recorded before the model step existed)" });
    expect(s.services[0]!.steps.compare).toEqual({ status: "pending", attempts: 0 });
    expect(s.services[0]!.steps.traffic.status).toBe("pending");
  });
});
