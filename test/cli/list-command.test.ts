import { describe, expect, it } from "vitest";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";
import { documented } from "../helpers/json-schema.js";

const sandbox = useAttachedSandbox({ speed: 400 });
const cli = (...args: string[]) => runBin(["--sandbox", "--state-dir", sandbox.stateDir, ...args]);

describe("aci-migrate list", { timeout: 60_000 }, () => {
  it("subscriptions: a table, or JSON", async () => {
    const table = await cli("list", "subscriptions");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Contoso ML Production +[0-9a-f-]{36}/);
    const json = documented((await cli("list", "subscriptions", "--json")).stdout, "listSubscriptions");
    expect(json.subscriptions.map((s: { displayName: string }) => s.displayName).sort()).toEqual(["Contoso Dev (empty)", "Contoso ML Production"]);
  });

  it("workspaces, filtered by resource group with -g", async () => {
    const json = documented((await cli("list", "workspaces", "-g", "rg-ml-prod", "--json")).stdout, "listWorkspaces");
    expect(json.workspaces.map((w: { workspace: string }) => w.workspace).sort()).toEqual(["ml-batch-eastus", "ml-prod-eastus"]);
    const table = await cli("list", "workspaces");
    expect(table.stdout).toMatch(/ml-risk-westeurope +rg-ml-risk +westeurope +Contoso ML Production/);
  });

  it("services (the default) of one workspace with -w; an unknown kind is a usage error", async () => {
    const json = documented((await cli("list", "-w", "ml-risk-westeurope", "--json")).stdout, "services");
    const services = json.subscriptions.flatMap((s: { workspaces: { services: { name: string }[] }[] }) =>
      s.workspaces.flatMap((w) => w.services.map((x) => x.name)),
    );
    expect(services).toEqual(["claims-cmk", "fraud-vnet", "risk-score"]);
    const bad = await cli("list", "models");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Allowed choices are subscriptions, workspaces, services");
  });

  it("services say where each stands: findings, blockers, and whether Azure already has its migration (its migrated-from tag)", async () => {
    const before = documented((await cli("services", "-w", "ml-prod-eastus", "--json")).stdout, "services");
    const row = (json: typeof before, name: string) => json.subscriptions[0].workspaces[0].services.find((x: { name: string }) => x.name === name);
    expect(row(before, "broken-env")).toMatchObject({ blockers: ["missing-inference-server"], migratedTo: null });
    expect(row(before, "iris-noauth").findings).toBeGreaterThan(0);
    expect((await cli("migrate", "-w", "ml-prod-eastus", "--service", "iris-noauth", "--yes")).code).toBe(0);
    // Forgetting the local session changes nothing: the mark is read from Azure.
    for (const id of (await cli("sessions", "--json")).stdout.match(/\d{8}-\d{6}-[0-9a-f]{4}/g) ?? []) await cli("sessions", "forget", id);
    const after = documented((await cli("services", "-w", "ml-prod-eastus", "--json")).stdout, "services");
    expect(row(after, "iris-noauth").migratedTo).toBe("iris-noauth-online");
    // Off a terminal at 80 columns, where it moves to and where it stands go on the line under the service.
    expect((await cli("services", "-w", "ml-prod-eastus")).stdout).toMatch(/iris-noauth .*\n +→ .*migrated →\s+iris-noauth-online/);
  });
});
