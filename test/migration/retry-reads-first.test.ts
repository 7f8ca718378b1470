import { describe, expect, it } from "vitest";
import { parseFaultSpec } from "../../src/sandbox/index.js";
import { documentedStream } from "../helpers/json-schema.js";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";

const puts: number[] = [];
// The deployment's first eight reads fail: the wait after its PUT gives up, and the step is tried again.
const sandbox = useAttachedSandbox({
  speed: 500,
  faults: parseFaultSpec("500@OnlineDeployments_Get*8"),
  onResponse: (r) => void (r.operation === "OnlineDeployments_CreateOrUpdate" && puts.push(r.status)),
});

describe("a step tried again while its deployment still provisions", () => {
  it("reads the deployment before it writes, and attaches to the running operation: one PUT", async () => {
    const r = await runBin(["--sandbox", "--state-dir", sandbox.stateDir, "migrate", "-w", "ml-prod-eastus", "--service", "iris-noauth", "--yes", "--json"]);
    const { result } = documentedStream(r.stdout);
    expect(result.status, r.stdout + r.stderr).toBe("done");
    expect(puts).toEqual([201]);
    expect(sandbox.sb.world.deployments.filter((d) => d.endpoint === "iris-noauth-online")).toHaveLength(1);
  }, 120_000);
});

const statuses: number[] = [];
// A 409 on the deployment's PUT with no operation running (the fault answers before the sandbox acts).
const conflicted = useAttachedSandbox({
  speed: 500,
  faults: parseFaultSpec("409@OnlineDeployments_CreateOrUpdate*1"),
  onResponse: (r) => void (r.operation === "OnlineDeployments_CreateOrUpdate" && statuses.push(r.status)),
});

describe("a PUT answered 409 Conflict", () => {
  it("attaches only to an operation that runs: with none, the deployment is asked for again and created once", async () => {
    const r = await runBin(["--sandbox", "--state-dir", conflicted.stateDir, "migrate", "-w", "ml-prod-eastus", "--service", "iris-noauth", "--yes", "--json"]);
    expect(documentedStream(r.stdout).result.status, r.stdout + r.stderr).toBe("done");
    expect(statuses).toEqual([409, 201]);
    expect(conflicted.sb.world.deployments.filter((d) => d.endpoint === "iris-noauth-online")).toHaveLength(1);
  }, 120_000);
});
