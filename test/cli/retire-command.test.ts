import { describe, expect, it } from "vitest";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";
import { documented } from "../helpers/json-schema.js";

const sandbox = useAttachedSandbox({ speed: 400 });
const cli = (...args: string[]) => runBin(["--sandbox", "--state-dir", sandbox.stateDir, ...args]);
const hasService = (name: string) => sandbox.sb.world.services.some((s) => s.name === name && s.workspace.endsWith("/ml-prod-eastus"));

describe("aci-migrate retire: only a proven migration's old service is deleted", { timeout: 60_000 }, () => {
  it("refuses a service that no session migrated (exit 1, naming migrate and --force)", async () => {
    const r = await cli("retire", "--workspace", "ml-prod-eastus", "--service", "churn-keyauth", "--yes");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("churn-keyauth is not retired: no session in this state directory migrated it");
    expect(r.stderr).toContain("--force");
    expect(hasService("churn-keyauth")).toBe(true);
  });

  it("after a migration: refused while the traffic is not on the new deployment, then without --yes, then deleted", async () => {
    expect((await cli("migrate", "--workspace", "ml-prod-eastus", "--service", "churn-keyauth", "--yes", "--json")).code).toBe(0);
    const endpoint = sandbox.sb.world.endpoints.find((e) => e.name === "churn-keyauth-online")!;
    endpoint.traffic = { blue: 0 };
    let r = await cli("retire", "--workspace", "ml-prod-eastus", "--service", "churn-keyauth", "--yes");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("churn-keyauth-online sends 0% of its traffic to blue, not 100%");
    endpoint.traffic = { blue: 100 };
    r = await cli("retire", "--workspace", "ml-prod-eastus", "--service", "churn-keyauth");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("needs --yes");
    expect(hasService("churn-keyauth")).toBe(true);
    r = await cli("retire", "--workspace", "ml-prod-eastus", "--service", "churn-keyauth", "--yes", "--json");
    expect(r.code).toBe(0);
    const retired = { service: "churn-keyauth", deleted: true, endpointName: "churn-keyauth-online", forced: false };
    expect(documented(r.stdout, "retire")).toEqual({ schemaVersion: 1, ...retired, services: [retired] });
    expect(hasService("churn-keyauth")).toBe(false);
    r = await cli("retire", "--workspace", "ml-prod-eastus", "--service", "churn-keyauth", "--yes");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("may be retired already");
  });

  it("--force deletes without a proven migration", async () => {
    const r = await cli("retire", "--workspace", "ml-prod-eastus", "--service", "iris-noauth", "--yes", "--force", "--json");
    expect(r.code).toBe(0);
    expect(documented(r.stdout, "retire")).toMatchObject({ service: "iris-noauth", deleted: true, forced: true });
    expect(hasService("iris-noauth")).toBe(false);
  });

  it("several at once: each is proven before any is deleted, then each is deleted and said", async () => {
    // Nothing migrated two of them yet: refused, naming the first unproven, and nothing is deleted.
    expect((await cli("migrate", "--workspace", "ml-prod-eastus", "--service", "sklearn-1cpu-2gb", "--yes", "--json")).code).toBe(0);
    let r = await cli("retire", "-w", "ml-prod-eastus", "--service", "sklearn-1cpu-2gb", "--service", "churn-drift", "--yes");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("churn-drift is not retired: no session in this state directory migrated it");
    expect(r.stderr).toContain("Nothing was deleted.");
    expect(hasService("sklearn-1cpu-2gb")).toBe(true);
    expect((await cli("migrate", "--workspace", "ml-prod-eastus", "--service", "churn-drift", "--yes", "--json")).code).toBe(0);
    r = await cli("retire", "-w", "ml-prod-eastus", "--service", "sklearn-1cpu-2gb", "--service", "churn-drift");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("retire deletes sklearn-1cpu-2gb, churn-drift for good and needs --yes");
    r = await cli("retire", "-w", "ml-prod-eastus", "--service", "sklearn-1cpu-2gb", "--service", "churn-drift", "--yes", "--json");
    expect(r.code, r.stderr).toBe(0);
    expect(documented(r.stdout, "retire")).toEqual({
      schemaVersion: 1,
      services: [
        { service: "sklearn-1cpu-2gb", deleted: true, endpointName: "sklearn-1cpu-2gb-online", forced: false },
        { service: "churn-drift", deleted: true, endpointName: "churn-drift-online", forced: false },
      ],
    });
    expect(hasService("sklearn-1cpu-2gb") || hasService("churn-drift")).toBe(false);
  });

  it("says who keeps working, not that every caller moved (it cannot know)", async () => {
    expect((await cli("migrate", "--workspace", "ml-prod-eastus", "--service", "credit-2cpu-4gb", "--yes", "--json")).code).toBe(0);
    const r = await cli("retire", "--workspace", "ml-prod-eastus", "--service", "credit-2cpu-4gb", "--yes");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(
      "Retired credit-2cpu-4gb. Callers that moved to credit-2cpu-4gb-online keep working; any still calling credit-2cpu-4gb now get errors.",
    );
  });
});
