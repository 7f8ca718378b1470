import { describe, expect, it } from "vitest";
import { documented } from "../helpers/json-schema.js";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";

// `rollback` against a sandbox the binary attaches to, through the real SDK clients.
const sandbox = useAttachedSandbox({ speed: 400 });
const cli = (...args: string[]) => runBin(["--sandbox", "--state-dir", sandbox.stateDir, ...args]);
const sessionOf = (stdout: string) => /"sessionId":"(\d{8}-\d{6}-[0-9a-f]{4})"/.exec(stdout)![1]!;

describe("aci-migrate rollback", { timeout: 120_000 }, () => {
  it("deletes what its session made (the endpoint with its deployment, the code version) and nothing else; the v1 service stays", async () => {
    const churn = await cli("migrate", "-w", "ml-prod-eastus", "--service", "churn-keyauth", "--yes", "--json");
    expect(churn.code, churn.stderr).toBe(0);
    const iris = await cli("migrate", "-w", "ml-prod-eastus", "--service", "iris-noauth", "--yes", "--json");
    expect(iris.code, iris.stderr).toBe(0);
    const id = sessionOf(churn.stdout);

    const refused = await cli("rollback", id);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("needs --yes");
    expect(sandbox.sb.world.endpoints.some((e) => e.name === "churn-keyauth-online")).toBe(true);

    const codes = () => sandbox.sb.world.codes.filter((c) => c.name === "churn-keyauth-code");
    expect(codes()).toHaveLength(1);
    const r = documented((await cli("rollback", id, "--yes", "--json")).stdout, "rollback");
    expect(r.deleted.map((d: { kind: string; name: string }) => `${d.kind} ${d.name}`)).toEqual(["endpoint churn-keyauth-online", "code churn-keyauth-code"]);
    expect(r.warnings).toEqual([]); // its v1 service still serves
    expect(sandbox.sb.world.endpoints.some((e) => e.name === "churn-keyauth-online")).toBe(false);
    expect(sandbox.sb.world.deployments.some((d) => d.endpoint === "churn-keyauth-online")).toBe(false);
    expect(codes()).toHaveLength(0);
    expect(sandbox.sb.world.endpoints.some((e) => e.name === "iris-noauth-online")).toBe(true); // another session's
    expect(sandbox.sb.world.services.some((s) => s.name === "churn-keyauth")).toBe(true); // the v1 service is never touched
  });

  it("keeps what another session made: a second migration of a service adopts the first one's endpoint and code, so rolling it back deletes nothing", async () => {
    const first = await cli("migrate", "-w", "ml-prod-eastus", "--service", "sklearn-1cpu-2gb", "--yes", "--json");
    expect(first.code, first.stderr).toBe(0);
    const second = await cli("migrate", "-w", "ml-prod-eastus", "--service", "sklearn-1cpu-2gb", "--yes", "--json");
    expect(second.code, second.stderr).toBe(0);
    const text = await cli("rollback", sessionOf(second.stdout), "--yes");
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("left nothing of its own in Azure to delete");
    expect(text.stdout).toMatch(/endpoint sklearn-1cpu-2gb-online \(made by session \d{8}-\d{6}-[0-9a-f]{4}\)/);
    expect(text.stdout).toMatch(/code sklearn-1cpu-2gb-code:\w+ \(registered by session \d{8}-\d{6}-[0-9a-f]{4} \(reused here\)\)/);
    expect(sandbox.sb.world.endpoints.some((e) => e.name === "sklearn-1cpu-2gb-online")).toBe(true);
  });

  it("warns, before deleting, when the v1 service was retired: with its endpoint gone nothing would serve its callers", async () => {
    const migrated = await cli("migrate", "-w", "ml-prod-eastus", "--service", "credit-2cpu-4gb", "--yes", "--json");
    expect(migrated.code, migrated.stderr).toBe(0);
    const retired = await cli("retire", "-w", "ml-prod-eastus", "--service", "credit-2cpu-4gb", "--yes");
    expect(retired.code, retired.stderr).toBe(0);
    const id = sessionOf(migrated.stdout);

    const done = await cli("rollback", id, "--yes");
    expect(done.code, done.stderr).toBe(0);
    // Said with the list, before the deletions.
    const warning = done.stdout.search(
      /Warning: credit-2cpu-4gb, the v1 service, was retired \(\d{4}-\d{2}-\d{2}\): with credit-2cpu-4gb-online deleted, nothing serves its callers\./,
    );
    expect(warning, done.stdout).toBeGreaterThan(0);
    expect(warning).toBeLessThan(done.stdout.indexOf("✓ deleted"));
  });
});
