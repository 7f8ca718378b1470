import { describe, expect, it } from "vitest";
import { documented, documentedStream } from "../helpers/json-schema.js";
import { runBin } from "../helpers/run-bin.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";

const sandbox = useAttachedSandbox({ speed: 400 });
const cli = (...args: string[]) => runBin(["--sandbox", "--state-dir", sandbox.stateDir, ...args]);
const VNET = ["--workspace", "ml-risk-westeurope", "--service", "fraud-vnet"];

describe("--public-network-access disabled: the VNet finding's remedy, carried to Azure", { timeout: 120_000 }, () => {
  it("plan: the finding says the endpoint is private and what remains; a value other than enabled or disabled is bad input", async () => {
    const open = documented((await cli("plan", ...VNET, "--json")).stdout, "plan");
    expect(open.publicNetworkAccess).toBe("Enabled");
    expect(open.findings.find((f: { id: string }) => f.id === "vnet-redo").remedy).toContain("--public-network-access disabled");
    const r = await cli("plan", ...VNET, "--public-network-access", "disabled", "--json");
    expect(r.code, r.stderr).toBe(0);
    const closed = documented(r.stdout, "plan");
    expect(closed.publicNetworkAccess).toBe("Disabled");
    expect(closed.findings.find((f: { id: string }) => f.id === "vnet-redo").message).toContain("planned without public network access");
    expect(closed.findings.map((f: { id: string }) => f.id)).toContain("public-network-access-off");
    const bad = await cli("plan", ...VNET, "--public-network-access", "off");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--public-network-access");
  });

  it("migrate: the endpoint is made without public access; from outside its network the smoke test is skipped, not failed", async () => {
    const r = await cli("migrate", ...VNET, "--public-network-access", "disabled", "--acknowledge", "vnet-redo", "--yes", "--json");
    expect(r.code, r.stderr).toBe(0);
    const { result } = documentedStream(r.stdout);
    const svc = result.services[0];
    expect(svc.status).toBe("migrated");
    expect(svc.smokeTest).toEqual({ status: "skipped", detail: "the endpoint takes no public traffic, and this machine is outside the workspace's network" });
    const endpoint = sandbox.sb.world.endpoints.find((e) => e.name === "fraud-vnet-online")!;
    expect(endpoint.publicNetworkAccess).toBe("Disabled");
    expect(endpoint.traffic).toEqual({ blue: 100 }); // the traffic step's PUT kept it private
    // Not proven: retire refuses it.
    const retire = await cli("retire", ...VNET, "--yes");
    expect(retire.code).toBe(1);
    expect(retire.stderr).toContain("fraud-vnet is not retired");
  });
});
