import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildPlan } from "../../src/domain/plan.js";
import { SessionStore } from "../../src/session/journal.js";
import { newStepRecords } from "../../src/session/session-file.js";
import { standingOf } from "../../src/session/superseded.js";
import { runCliHere } from "../helpers/run-cli.js";
import { quietService } from "../helpers/service.js";

/** A session killed mid-run, then a later one that migrated the same service: the first is superseded, not resumable. */
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const target = (workspace = "ws") => ({
  kind: "sandbox" as const,
  armEndpoint: "https://127.0.0.1:1",
  subscriptionId: "s",
  resourceGroup: "rg",
  workspace,
  location: "eastus",
});
const service = (name: string, migrated: boolean) => ({
  name,
  overrides: {},
  plan: buildPlan(quietService()),
  steps: newStepRecords(),
  resources: {},
  ...(migrated ? { outcome: { status: "migrated" as const } } : {}),
});

async function storeWith(...sessions: { at: string; workspace?: string; status: "running" | "done" | "failed"; services: [string, boolean][] }[]) {
  const dir = await mkdtemp(join(tmpdir(), "aci-migrate-superseded-"));
  dirs.push(dir);
  const store = new SessionStore(dir);
  const ids = sessions.map((s) => {
    const open = store.create({ status: s.status, target: target(s.workspace), services: s.services.map(([n, m]) => service(n, m)) }, new Date(s.at));
    open.release(); // a "running" one released without ending is what a kill leaves
    return open.data.id;
  });
  return { store, dir, ids };
}

describe("a session later sessions made pointless", () => {
  it("is superseded once later sessions of its workspace migrated every one of its services", async () => {
    const { store, ids } = await storeWith(
      {
        at: "2026-12-01T10:00:00Z",
        status: "running",
        services: [
          ["alpha", false],
          ["bravo", false],
        ],
      },
      { at: "2026-12-01T11:00:00Z", status: "done", services: [["alpha", true]] },
      { at: "2026-12-01T12:00:00Z", status: "failed", services: [["bravo", false]] },
    );
    const standing = () => {
      const all = store.list();
      return Object.fromEntries(all.map((s) => [s.id, standingOf(store, s, all)]));
    };
    // bravo is not migrated yet: the first stays interrupted (resumable).
    expect(standing()).toMatchObject({ [ids[0]!]: "interrupted", [ids[2]!]: "failed" });
    const later = store.create({ status: "done", target: target(), services: [service("bravo", true)] }, new Date("2026-12-01T13:00:00Z"));
    later.release();
    expect(standing()).toMatchObject({ [ids[0]!]: "superseded", [ids[1]!]: "done", [ids[2]!]: "superseded" });
  });

  it("is not superseded by a migration in another workspace, and sessions --json says where each stands", async () => {
    const { dir, ids } = await storeWith(
      { at: "2026-12-01T10:00:00Z", status: "running", services: [["alpha", false]] },
      { at: "2026-12-01T11:00:00Z", workspace: "other", status: "done", services: [["alpha", true]] },
    );
    const r = await runCliHere(["--state-dir", dir, "sessions", "--json"]);
    const status = Object.fromEntries((JSON.parse(r.stdout) as { sessions: { id: string; status: string }[] }).sessions.map((s) => [s.id, s.status]));
    expect(status).toEqual({ [ids[0]!]: "interrupted", [ids[1]!]: "done" });
  });
});
