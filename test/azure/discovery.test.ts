import { describe, expect, it } from "vitest";
import { discoverServices } from "../../src/azure/discovery.js";
import type { AzureConnection } from "../../src/azure/connection.js";
import { parseFaultSpec, startSandbox, type Sandbox, type ServedResponse } from "../../src/sandbox/index.js";
import { addWorkspaces } from "../helpers/many-workspaces.js";
import { swaggerProblems } from "../helpers/sandbox.js";

/** A sandbox of this test's own, with the time each response was served. */
async function sandbox(faults?: string, prepare?: (sb: Sandbox) => void) {
  const served: (ServedResponse & { at: number })[] = [];
  const sb = await startSandbox({ speed: 1, faults: faults ? parseFaultSpec(faults) : undefined, onResponse: (r) => served.push({ ...r, at: Date.now() }) });
  prepare?.(sb);
  const conn: AzureConnection = { armEndpoint: sb.armEndpoint, credential: sb.credential, caPem: sb.caPem, retryDelayMs: 50 };
  return {
    sb,
    conn,
    served,
    async stop() {
      await sb.stop();
      expect(swaggerProblems(served)).toEqual([]);
    },
  };
}

describe("discovery", () => {
  it("reads each region's discovery document once, however many workspaces the region holds", async () => {
    const t = await sandbox(undefined, (sb) => addWorkspaces(sb, 20, 2));
    try {
      const listed = await discoverServices(t.conn);
      const workspaces = listed.flatMap((s) => s.workspaces);
      expect(workspaces).toHaveLength(23);
      expect(workspaces.filter((w) => "error" in w)).toEqual([]);
      const regions = new Set(workspaces.map((w) => w.ws.location));
      expect(regions).toEqual(new Set(["eastus", "westeurope"]));
      expect(t.served.filter((r) => r.operation === "Discovery_Get")).toHaveLength(regions.size);
      // Every workspace's services (page by page) and its migrations were asked for.
      const asked = (operation: string) => new Set(t.served.filter((r) => r.operation === operation).map((r) => /workspaces\/([^/]+)/i.exec(r.path)?.[1]));
      expect(asked("Services_ListQuery").size).toBe(23);
      expect(asked("OnlineEndpoints_List").size).toBe(23);
      // Azure's order is kept, whatever order the answers came in.
      expect(workspaces.map((w) => w.ws.workspace)).toEqual(t.sb.world.workspaces.map((w) => w.name));
    } finally {
      await t.stop();
    }
  });

  it("asks again for a region whose discovery document failed", async () => {
    const t = await sandbox("500@Discovery_Get*5");
    try {
      const first = await discoverServices(t.conn, { workspace: "ml-prod-eastus" });
      expect("error" in first[0]!.workspaces[0]!).toBe(true);
      const second = await discoverServices(t.conn, { workspace: "ml-prod-eastus" });
      expect(second[0]!.workspaces[0]).toHaveProperty("services");
    } finally {
      await t.stop();
    }
  });

  it("holds back the whole pool for a 429's Retry-After, and every workspace is still listed", async () => {
    const t = await sandbox("429@Services_ListQuery*1,latency=30", (sb) => addWorkspaces(sb, 40, 1));
    try {
      const listed = await discoverServices(t.conn, {}, { concurrency: 4 });
      const workspaces = listed.flatMap((s) => s.workspaces);
      expect(workspaces.filter((w) => "error" in w)).toEqual([]);
      const throttled = t.served.find((r) => r.status === 429)!;
      expect(throttled).toBeDefined();
      // The sandbox asks for Retry-After: 1 (at speed 1). Requests sent before the 429 came back may still land
      // just after it; none is sent while the gate is closed.
      const during = t.served.filter((r) => r.at > throttled.at + 150 && r.at < throttled.at + 900);
      expect(during).toEqual([]);
      expect(t.served.filter((r) => r.at >= throttled.at + 900).length).toBeGreaterThan(0);
    } finally {
      await t.stop();
    }
  });
});
