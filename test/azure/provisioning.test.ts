import { describe, expect, it } from "vitest";
import { untilProvisioned, type ProvisioningWait } from "../../src/azure/provisioning.js";
import { OperationFailedError } from "../../src/migration/errors.js";

/** A resource whose GET answers `states` one after another, and an operation status that answers `statuses`. */
function resource(states: string[], statuses: { status: string; error?: { code: string; message: string } }[] = []) {
  const reads: string[] = [];
  const wait: ProvisioningWait<{ provisioningState: string }> = {
    read: async () => {
      const s = states.shift();
      reads.push(`read ${s}`);
      return s === undefined ? undefined : { provisioningState: s };
    },
    operationStatus: async () => {
      const s = statuses.shift() ?? { status: "Succeeded" };
      reads.push(`status ${s.status}`);
      return s;
    },
    pollMs: 1,
    mayReport: () => false,
    operation: "OnlineDeployments_CreateOrUpdate",
    what: "Deployment blue",
  };
  return { wait, reads };
}

describe("waiting for a PUT by reading the resource", () => {
  it("ends at the first Succeeded after the PUT answered Creating: one read a poll, no operation status", async () => {
    const r = resource(["Creating", "Creating", "Succeeded"]);
    const progress: string[] = [];
    const done = await untilProvisioned(r.wait, { state: "Creating", statusUrl: "https://status" }, { onProgress: (p) => progress.push(p.status) });
    expect(done.provisioningState).toBe("Succeeded");
    expect(r.reads).toEqual(["read Creating", "read Creating", "read Succeeded"]);
    expect(progress).toEqual(["Creating", "Succeeded"]); // the first state read is shown, then each change
  });

  it("a Succeeded never seen running is checked against the operation's status, which may say it has not begun", async () => {
    const r = resource(["Succeeded", "Updating", "Succeeded"], [{ status: "InProgress" }]);
    const done = await untilProvisioned(r.wait, { statusUrl: "https://status" }, {});
    expect(done.provisioningState).toBe("Succeeded");
    expect(r.reads).toEqual(["read Succeeded", "status InProgress", "read Updating", "read Succeeded"]);
  });

  it("a failure is reported in the operation's own words and code", async () => {
    const crash = { code: "ResourceNotReady", message: "User container has crashed or terminated" };
    const r = resource(["Creating", "Failed"], [{ status: "Failed", error: crash }]);
    const failed = await untilProvisioned(r.wait, { state: "Creating", statusUrl: "https://status" }, {}).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(OperationFailedError);
    expect(failed).toMatchObject({ message: crash.message, code: "ResourceNotReady", operation: "OnlineDeployments_CreateOrUpdate" });
  });

  it("a resource gone while it provisions fails the wait, and Azure's Retry-After delays the first read", async () => {
    const r = resource([]);
    const started = Date.now();
    const failed = await untilProvisioned(r.wait, { state: "Creating", retryAfterMs: 60 }, {}).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect((failed as Error).message).toBe("Deployment blue disappeared while it was provisioning.");
  });
});
