import { describe, expect, it } from "vitest";
import { auditReport, auditRow, NOT_ACI, sessionTime, type AuditRow, type AuditWorkspace } from "../../src/domain/audit.js";
import { readJson } from "../helpers/fixtures.js";

const sample = readJson("samples/service-sklearn-1cpu-2gb.json") as Record<string, unknown>;
const WS: AuditWorkspace = { subscriptionId: "s1", subscription: "Sub one", resourceGroup: "rg", workspace: "ws-a", location: "eastus" };
const doc = (changes: Record<string, unknown>) => ({ ...sample, ...changes });

describe("audit rows: where each service stands", () => {
  it("readiness: ready without a blocker, to acknowledge with one a person may accept, blocked by what Azure refuses or a non-ACI compute, migrated by Azure's tags", () => {
    expect(auditRow(WS, doc({ name: "plain" })).readiness).toBe("ready");
    const vnet = auditRow(WS, doc({ name: "in-vnet", vnetConfiguration: { vnetName: "v", subnetName: "s" } }));
    expect(vnet.readiness).toBe("to-acknowledge");
    expect(vnet.blockers).toEqual(["vnet-redo"]);
    const huge = auditRow(WS, doc({ name: "huge", containerResourceRequirements: { cpu: 500, memoryInGB: 4000 } }));
    expect(huge.readiness).toBe("blocked"); // no VM size fits: nothing to accept
    const aks = auditRow(WS, doc({ name: "on-aks", computeType: "AKS" }));
    expect([aks.readiness, aks.blockers, aks.cpu]).toEqual(["blocked", [NOT_ACI], null]);
    const moved = auditRow(WS, doc({ name: "plain" }), { endpoint: "plain-online", sessionId: "20261207-230040-3ac8" });
    expect(moved).toMatchObject({ readiness: "migrated", migratedTo: "plain-online", migratedBy: "20261207-230040-3ac8", migratedAt: "2026-12-07T23:00:40Z" });
  });

  it("the script check's verdict: its habits, clean, or why it did not run", () => {
    const habits = [{ id: "script-v1-relative-path", line: 3 }] as never;
    expect(auditRow(WS, doc({ name: "a" }), undefined, { file: "score.py", source: "", habits }).script).toBe("1 v1 habit: script-v1-relative-path");
    expect(auditRow(WS, doc({ name: "a" }), undefined, { file: "score.py", source: "", habits: [] }).script).toBe("clean");
    expect(auditRow(WS, doc({ name: "a" }), undefined, { notChecked: "could not be read: 403" }).script).toBe("not checked: could not be read: 403");
    expect(sessionTime("not-an-id")).toBeNull();
  });

  it("totals per workspace, per subscription and in all are the sums of the rows; blockers by kind leave migrated ones out", () => {
    const other: AuditWorkspace = { ...WS, subscriptionId: "s2", subscription: "Sub two", workspace: "ws-b" };
    const rows: AuditRow[] = [
      auditRow(WS, doc({ name: "a" })),
      auditRow(WS, doc({ name: "b", vnetConfiguration: { vnetName: "v" } })),
      auditRow(WS, doc({ name: "c", vnetConfiguration: { vnetName: "v" } }), { endpoint: "c-online" }),
      auditRow(other, doc({ name: "d", computeType: "AKS" })),
      auditRow(other, doc({ name: "e", vnetConfiguration: { vnetName: "v" } })),
    ];
    const r = auditReport(rows, [], "now");
    const sum = (xs: readonly AuditRow[], f: (x: AuditRow) => number) => Math.round(xs.reduce((s, x) => s + f(x), 0) * 100) / 100;
    for (const [totals, of] of [
      [r.totals, rows],
      ...r.workspaces.map((w) => [w.totals, rows.filter((x) => x.workspace === w.workspace)] as const),
      ...r.subscriptions.map((s) => [s.totals, rows.filter((x) => x.subscriptionId === s.subscriptionId)] as const),
    ] as const) {
      expect(totals.services).toBe(of.length);
      expect(totals.ready + totals.toAcknowledge + totals.blocked + totals.migrated).toBe(of.length);
      expect(totals.aciMonthlyUsd).toBe(sum(of, (x) => x.aciMonthlyUsd ?? 0));
      expect(totals.managedMonthlyUsd).toBe(sum(of, (x) => x.managedMonthlyUsd ?? x.aciMonthlyUsd ?? 0));
    }
    expect(r.totals).toMatchObject({ ready: 1, toAcknowledge: 2, blocked: 1, migrated: 1 });
    expect(r.blockersByKind).toEqual([
      { id: "vnet-redo", services: 2 },
      { id: NOT_ACI, services: 1 },
    ]);
  });
});
