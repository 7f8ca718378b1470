import { afterEach, describe, expect, it } from "vitest";
import { readFleet, type FleetProgress } from "../../src/journey/read-fleet.js";
import { fakeAzure, type FakeAzure } from "../helpers/fake-azure.js";

let azure: FakeAzure | undefined;
afterEach(() => azure?.close());

describe("reading a fleet for the audit", () => {
  it("says how far it is as it goes, and reports a workspace that refuses its list in its place", async () => {
    azure = fakeAzure(["alpha", "bravo", "charlie"]);
    const backend = azure.backend();
    const locked = { ...azure.ws, workspace: "locked-ws", discoveryUrl: "https://fake/discovery" };
    const fleet = {
      ...backend,
      listWorkspaces: async (s: string) => [...(await backend.listWorkspaces(s)), locked],
      listServices: async (ws: typeof locked) => {
        if (ws.workspace === "locked-ws") throw new Error("(AuthorizationFailed) The client does not have authorization.\nmore");
        return backend.listServices(ws);
      },
    };
    const seen: FleetProgress[] = [];
    const report = await readFleet(fleet, {}, (p) => seen.push(p));
    expect(report.rows.map((r) => r.service)).toEqual(["alpha", "bravo", "charlie"]);
    // The fake workspace keeps no source snapshot: each row says its check could not run, and why.
    expect(report.rows.map((r) => r.script)).toEqual(Array(3).fill("not checked: its source snapshot could not be read"));
    const { subscriptionId, resourceGroup, location } = azure.ws;
    expect(report.unreadable).toEqual([
      {
        subscriptionId,
        subscription: "Fake",
        resourceGroup,
        workspace: "locked-ws",
        location,
        error: "(AuthorizationFailed) The client does not have authorization.",
      },
    ]);
    // Each step counts up to what is known; the last says all is done.
    const done = seen.map((p) => p.workspaces.done + p.scripts.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(seen.at(-1)).toEqual({ workspaces: { done: 2, total: 2 }, scripts: { done: 3, total: 3 } });
  });
});
