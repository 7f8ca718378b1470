import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { render } from "ink-testing-library";
import { act } from "react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { AzureMigrationAdapter } from "../../src/azure/migration-adapter.js";
import { connectionFor } from "../../src/cli/sandbox-connection.js";
import { wizardBackend } from "../../src/cli/wizard.js";
import { parseServiceJson } from "../../src/domain/parse-service-json.js";
import { buildPlan } from "../../src/domain/plan.js";
import { runMigration } from "../../src/migration/engine.js";
import { SessionStore } from "../../src/session/journal.js";
import { newStepRecords } from "../../src/session/session-file.js";
import { App } from "../../src/ui/App.js";
import type { WizardBackend } from "../../src/ui/backend.js";
import { KEY, press, shows, type, until, type InkInstance } from "../helpers/ink.js";
import { useSandbox } from "../helpers/sandbox.js";

// The wizard with the sandbox behind the engine: real SDK clients over HTTPS, keys through ink's stdin.
const h = useSandbox({ speed: 400 });
let stateDir = "";
let exportDir = "";
beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "aci-migrate-wizard-"));
  exportDir = await mkdtemp(join(tmpdir(), "aci-migrate-yaml-"));
});

function backend(): WizardBackend {
  const conn = connectionFor({ armEndpoint: h.sb.armEndpoint, caPem: h.sb.caPem, token: h.sb.token, speed: 400 });
  return wizardBackend({ conn, sandbox: true, close: async () => {} }, { stateDir, exportDir, port: new AzureMigrationAdapter(conn) });
}

let ink: InkInstance | undefined;
const exits: { code: number; message?: string }[] = [];
function open(initial?: Parameters<typeof App>[0]["initial"]): InkInstance {
  exits.length = 0;
  ink = render(<App backend={backend()} onExit={(code, message) => exits.push({ code, message })} initial={initial} nameCheckDelayMs={10} />);
  return ink;
}
afterEach(() => ink?.unmount());

/** Start → subscription → workspace → services (filtered to `filter`) with the first match selected. */
async function selectService(w: InkInstance, filter: string): Promise<void> {
  await until(w, shows("SANDBOX"), "the sandbox badge");
  await press(w, ...Array(8).fill(KEY.down), KEY.enter); // "Start a new migration" is last, after unfinished sessions
  await until(w, shows("Contoso ML Production"), "the subscriptions");
  await press(w, KEY.enter);
  await until(w, shows("ml-prod-eastus"), "the workspaces");
  await press(w, KEY.enter);
  await until(w, shows("credit-2cpu-4gb"), "the services");
  await type(w, filter);
  await press(w, KEY.space);
  await until(w, shows("[x]"), "the selection");
}

describe("the wizard", { timeout: 60_000 }, () => {
  it("start screen: a new migration, the SANDBOX badge, and q quits with 0", async () => {
    const w = open();
    const frame = await until(w, shows("SANDBOX"), "the badge");
    expect(frame).toContain("❯ Start a new migration");
    await press(w, "q");
    expect(exits).toEqual([{ code: 0 }]);
  });

  it("start screen: a session made on Azure is not offered on the sandbox (it cannot resume here)", async () => {
    const azure = new SessionStore(stateDir).create({
      status: "failed",
      target: { kind: "azure", armEndpoint: "https://management.azure.com", subscriptionId: "00000000-0000-0000-0000-000000000000", resourceGroup: "rg", workspace: "ws-on-azure", location: "eastus" },
      services: [],
    });
    azure.release();
    const w = open();
    const frame = await until(w, shows("SANDBOX"), "the badge");
    expect(frame).toContain("❯ Start a new migration");
    expect(frame).not.toContain("Resume");
    new SessionStore(stateDir).forget(azure.data.id);
  });

  it("lists: type to filter, AKS and unhealthy services shown but not selectable, with the reason", async () => {
    const w = open();
    await until(w, shows("SANDBOX"), "the badge");
    await press(w, KEY.enter);
    await until(w, shows("Contoso Dev"), "subscriptions");
    await type(w, "dev");
    let frame = await until(w, shows("(1 of 2)"), "the filter");
    expect(frame).not.toContain("Contoso ML Production");
    await press(w, KEY.enter);
    frame = await until(w, (f) => f.includes("No workspaces") || f.includes("workspace in Contoso Dev"), "the empty workspace list");
    await until(w, shows("No workspaces."), "the empty state");
    expect(w.lastFrame()).toContain("press Esc to pick another");
    await press(w, KEY.escape);
    await until(w, shows("Type to filter · 2 in all"), "subscriptions again");
    await press(w, KEY.enter);
    await until(w, shows("ml-prod-eastus"), "the workspaces");
    await press(w, KEY.enter);
    await until(w, shows("recs-aks"), "the services");
    await type(w, "recs");
    await press(w, KEY.space);
    frame = await until(w, shows("cannot be migrated"), "the refusal");
    expect(frame).toContain("recs-aks cannot be migrated: runs on AKS");
    expect(frame).not.toContain("[x]");
    await press(w, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
    await type(w, "failed");
    await press(w, KEY.space);
    expect(await until(w, shows("cannot be migrated"), "the refusal")).toContain("it is Failed");
    await press(w, KEY.enter);
    expect(w.lastFrame()).toContain("Select at least one service with Space.");
  });

  it("review: the plan, Microsoft's table with the matched row, quota vs free, cost; x exports YAML", async () => {
    const w = open();
    await selectService(w, "credit");
    await press(w, KEY.enter);
    let frame = await until(w, shows("free in eastus"), "the quota check");
    expect(frame).toContain("review credit-2cpu-4gb");
    expect(frame).toContain("Good to know (2)");
    expect(frame).toContain("Warnings (1)");
    expect(frame).toContain("→ Use at least 3 instances");
    await press(w, "t"); // a 40-row terminal shows Microsoft's table in place of the findings
    frame = await until(w, shows("▶ 3"), "the table");
    expect(frame).toMatch(/▶ 3 +\(1, 2\]/); // row 3 of the table, highlighted
    expect(frame).not.toContain("Good to know");
    expect(frame).toContain("Standard_DS2_v2");
    expect(frame).toMatch(/needs 4 vCPUs of standardDSv2Family/);
    expect(frame).toMatch(/Cost\/month: ACI \$\d+\.\d\d → \$\d+\.\d\d/);
    expect(frame).toContain("v1 keys carried over");
    await press(w, "x");
    await until(w, shows("Exported"), "the export");
    const yaml = await readFile(join(exportDir, "credit-2cpu-4gb", "deployment.yml"), "utf8");
    expect(yaml).toContain("instance_type: Standard_DS2_v2");
    await press(w, "?");
    expect(await until(w, shows("Keys on this screen"), "help")).toContain("x export az ml YAML");
  });

  it("overrides: name validated as you type and checked for availability; SKU from the catalog; review updates live", async () => {
    const w = open();
    await selectService(w, "fraud-det");
    await press(w, KEY.enter);
    await until(w, shows("review fraud-detector"), "review");
    await press(w, "e");
    await until(w, shows("Endpoint name"), "the form");
    await press(w, KEY.enter); // edit the name: it starts from the planned one, which is taken in the region
    expect(await until(w, shows("taken in eastus"), "the availability check")).toContain("fraud-detector-online");
    await press(w, KEY.backspace, ...Array(20).fill(KEY.backspace));
    await type(w, "9x");
    await until(w, shows("needs at least 3"), "validation of the length");
    await type(w, "y");
    await until(w, shows("must start with a letter"), "validation of the first character");
    await press(w, KEY.backspace, KEY.backspace, KEY.backspace);
    await type(w, "fraud-v2");
    await until(w, shows("✓ free in eastus"), "a free name");
    await press(w, KEY.enter);
    await until(w, (f) => f.includes("Endpoint name  fraud-v2"), "the new name");
    await press(w, KEY.down, KEY.enter);
    await until(w, shows("fits quota"), "the SKU picker");
    await until(w, (f) => /Standard_F2s_v2 +2 +4 +0\.085 +yes/.test(f), "quota per SKU");
    await press(w, KEY.down, KEY.enter); // the row below the suggested (and cheapest) DS1_v2
    const frame = await until(w, shows("Plan now:"), "the form again");
    expect(frame).toContain("VM size        Standard_F2s_v2");
    expect(frame).toContain("Plan now: 1 × Standard_F2s_v2 · needs 4 vCPUs of standardFSv2Family");
    await press(w, KEY.escape);
    const review = await until(w, shows("review fraud-detector"), "review");
    expect(review).toContain("fraud-v2 / deployment blue");
    expect(review).toContain("· override");
  });
});

describe("the wizard deploys", { timeout: 90_000 }, () => {
  it("confirm asks for each blocker, then deploy shows steps and logs, and done shows the URI, curl, smoke test; d retires after typing the name", async () => {
    const w = open();
    await selectService(w, "pricing");
    await press(w, KEY.enter);
    await until(w, shows("review pricing-tls"), "review");
    await press(w, KEY.enter);
    let frame = await until(w, shows("confirm"), "confirm");
    expect(frame).toContain("endpoint pricing-tls-online (Key, v1 keys) with deployment blue: 1 × Standard_DS1_v2");
    expect(frame).not.toContain("Blockers to acknowledge");
    await press(w, KEY.enter);
    frame = await until(w, (f) => f.includes("deploying · session") && /deployment/.test(f), "the deploy screen");
    frame = await until(w, shows("inference server (Tab)"), "the log pane");
    frame = await until(w, shows("✓ pricing-tls · traffic"), "the finished steps", 30_000);
    frame = await until(w, shows("aci-migrate · done"), "the done screen");
    expect(frame).toMatch(/Scoring URI {2}https:\/\/127\.0\.0\.1:\d+\/online\/eastus\/pricing-tls-online\/score/);
    expect(frame).toContain("/online/eastus/pricing-tls-online/swagger.json");
    expect(frame).toContain("same keys as before (primary ••••••••");
    expect(frame).toContain('curl -X POST https://127.0.0.1');
    expect(frame).toMatch(/Smoke test {3}passed — the new deployment answers exactly as the ACI service/);
    expect(frame).toMatch(/Cost\/month {3}\$\d+\.\d\d \(was \$\d+\.\d\d on ACI/);
    expect(h.sb.world.endpoints.find((e) => e.name === "pricing-tls-online")?.traffic).toEqual({ blue: 100 });

    await press(w, "d");
    await until(w, shows("Type its name"), "the retire prompt");
    await type(w, "pricing");
    await press(w, KEY.enter);
    expect(await until(w, shows("Type pricing-tls exactly"), "the refusal")).toBeTruthy();
    expect(h.sb.world.services.some((s) => s.name === "pricing-tls")).toBe(true);
    await type(w, "-tls");
    await press(w, KEY.enter);
    await until(w, shows("✓ pricing-tls retired."), "the retirement");
    expect(h.sb.world.services.some((s) => s.name === "pricing-tls")).toBe(false);
    await press(w, "q");
    expect(exits).toEqual([{ code: 0 }]);
  });

  it("a failed deployment shows Azure's code, the last lines, the likely cause and remedy; s changes the VM size and retries; q stops, resumable", async () => {
    const w = open();
    await selectService(w, "broken");
    await press(w, KEY.enter);
    await until(w, shows("review broken-env"), "review");
    await press(w, KEY.enter);
    let frame = await until(w, shows("Blockers to acknowledge (1 left)"), "the blocker");
    await press(w, KEY.enter);
    expect(await until(w, shows("Acknowledge each blocker with Space first"), "the refusal")).toBeTruthy();
    await press(w, KEY.space);
    await until(w, shows("Blockers to acknowledge (0 left)"), "acknowledged");
    await press(w, KEY.enter);
    frame = await until(w, shows("Failed: Deployment blue failed"), "the failure", 30_000);
    expect(frame).toContain("Azure code ResourceNotReady");
    expect(frame).toContain("Likely cause: The environment has no inference server");
    expect(frame).toContain("Remedy: Add azureml-inference-server-http");
    expect(frame).toContain("No module named 'azureml_inference_server_http'");
    expect(frame).toContain("r retry · s change VM size and retry · f full logs · q stop");
    await press(w, "s");
    await until(w, shows("Retry broken-env on another VM size"), "the SKU list");
    await press(w, KEY.down, KEY.enter);
    // Azure cannot change a deployment's VM size: the retry is a new deployment (green) beside blue, on the
    // chosen size, which the journal keeps. Same environment, so it fails again; blue goes once traffic moves.
    frame = await until(w, (f) => f.includes("Failed: Deployment green failed") && !f.includes("Retry broken-env on another"), "the second failure", 30_000);
    const session = backend().sessions.list().find((s) => s.session?.services[0]?.name === "broken-env")!.session!;
    expect(session.services[0]!.overrides).toMatchObject({ sku: "Standard_F2s_v2", deploymentName: "green" });
    const sizes = Object.fromEntries(h.sb.world.deployments.filter((d) => d.endpoint === "broken-env-online").map((d) => [d.name, d.properties.instanceType]));
    expect(sizes.green).toBe("Standard_F2s_v2");
    expect(sizes.blue).not.toBe("Standard_F2s_v2");
    await press(w, "q");
    frame = await until(w, shows("Stopped; nothing is lost. Continue with: aci-migrate resume"), "the stop");
    await press(w, "q");
    expect(exits[0]).toMatchObject({ code: 1, message: expect.stringContaining("aci-migrate resume") });
  });

  it("a service running on one VM size, planned on another: the difference is asked; r makes green beside blue, moves the traffic, deletes blue", async () => {
    // iris-noauth already runs on its suggested size (migrated by the engine, as an earlier run would have).
    const ws = { subscriptionId: h.prodSub, resourceGroup: "rg-ml-prod", workspace: "ml-prod-eastus", location: "eastus" };
    const earlier = new SessionStore(stateDir).create({
      status: "running",
      target: { kind: "sandbox", armEndpoint: h.sb.armEndpoint, ...ws },
      services: [{ name: "iris-noauth", overrides: {}, plan: buildPlan(parseServiceJson(await h.mms().getService(ws, "iris-noauth"), "iris-noauth"), {}), steps: newStepRecords(), resources: {} }],
    });
    const conn = connectionFor({ armEndpoint: h.sb.armEndpoint, caPem: h.sb.caPem, token: h.sb.token, speed: 400 });
    expect(await runMigration({ port: new AzureMigrationAdapter(conn), session: earlier, secrets: new Set(), emit: () => undefined })).toBe("done");
    earlier.release();
    const before = h.sb.world.deployments.find((d) => d.endpoint === "iris-noauth-online")!.properties.instanceType;

    const w = open();
    await selectService(w, "iris");
    await press(w, KEY.enter);
    await until(w, shows("review iris-noauth"), "review");
    await press(w, "e");
    await until(w, shows("Endpoint name"), "the form");
    await press(w, KEY.down, KEY.enter);
    await until(w, shows("fits quota"), "the SKU picker");
    await press(w, KEY.down, KEY.enter);
    const form = await until(w, shows("Plan now:"), "the form again");
    const size = /VM size {8}(\S+)/.exec(form)![1]!;
    expect(size).not.toBe(before);
    await press(w, KEY.escape);
    await until(w, shows("review iris-noauth"), "review");
    await press(w, KEY.enter);
    await until(w, shows("confirm"), "confirm");
    await press(w, KEY.enter);
    const asked = await until(w, shows("Differs from the plan"), "the difference", 30_000);
    expect(asked).toContain(`VM size ${before}`);
    await press(w, "r");
    await until(w, shows("aci-migrate · done"), "the done screen", 30_000);
    const deployments = h.sb.world.deployments.filter((d) => d.endpoint === "iris-noauth-online");
    expect(deployments.map((d) => [d.name, d.properties.instanceType])).toEqual([["green", size]]);
    expect(h.sb.world.endpoints.find((e) => e.name === "iris-noauth-online")?.traffic).toEqual({ green: 100 });
  });

  it("Ctrl+C mid-deployment asks; leaving exits 130 with the resume hint; the start screen resumes it to the end", async () => {
    let w = open();
    await selectService(w, "sklearn");
    await press(w, KEY.enter, KEY.enter);
    await until(w, shows("confirm"), "confirm");
    await press(w, KEY.enter);
    await until(w, (f) => /⠋|⠙|⠹|⠸|⠼|⠴|⠦|⠧|⠇|⠏/.test(f) && f.includes("deployment"), "a running step");
    await until(w, shows("✓ sklearn-1cpu-2gb · endpoint"), "the endpoint", 30_000);
    await press(w, KEY.ctrlC);
    let frame = await until(w, shows("Leave now?"), "the question");
    expect(frame).toContain("The deployment keeps running in Azure");
    await press(w, "w");
    frame = await until(w, (f) => !f.includes("Leave now?"), "back to watching");
    await press(w, KEY.ctrlC);
    await until(w, shows("Leave now?"), "the question again");
    await press(w, "q");
    await until(w, () => exits.length > 0, "the exit");
    expect(exits[0]).toMatchObject({ code: 130, message: expect.stringMatching(/keeps running in Azure\. Continue with: aci-migrate resume \d{8}-\d{6}-[0-9a-f]{4}/) });
    w.unmount();

    w = open();
    frame = await until(w, shows("Resume sklearn-1cpu-2gb — stopped at"), "the unfinished session");
    expect(frame.indexOf("Resume sklearn-1cpu-2gb")).toBeLessThan(frame.indexOf("Start a new migration"));
    // Move to this session (other unfinished sessions of this file may be listed too).
    const rows = frame.split("\n").filter((l) => l.includes("Resume ") || l.includes("Start a new"));
    const index = rows.findIndex((l) => l.includes("Resume sklearn-1cpu-2gb"));
    await press(w, ...Array(index).fill(KEY.down), KEY.enter);
    frame = await until(w, shows("aci-migrate · done"), "done after resuming", 30_000);
    expect(frame).toContain("✓ sklearn-1cpu-2gb → sklearn-1cpu-2gb-online/blue");
    expect(h.sb.world.deployments.filter((d) => d.endpoint === "sklearn-1cpu-2gb-online")).toHaveLength(1);
  });
});

describe("the wizard with several services", { timeout: 90_000 }, () => {
  it("reviews each on its own page (←→), changes auth and keys and rejects a bad instance count, then deploys both in lanes", async () => {
    const w = open();
    await selectService(w, "telemetry");
    await press(w, ...Array(9).fill(KEY.backspace));
    await type(w, "iris");
    await press(w, KEY.space);
    await until(w, (f) => (f.match(/\[x\]/g) ?? []).length === 1 && f.includes("iris-noauth"), "the second selection");
    await press(w, KEY.enter);
    let frame = await until(w, shows("(1/2, ←→ switch)"), "two review pages");
    expect(frame).toContain("review telemetry-svc");
    await press(w, KEY.right);
    frame = await until(w, shows("review iris-noauth (2/2"), "the second page");
    expect(frame).toContain("Auth       Key"); // v1 had no auth: key auth, nothing to carry
    await press(w, "e", KEY.down, KEY.down); // instances
    await press(w, KEY.enter, KEY.backspace);
    await type(w, "99");
    await press(w, KEY.enter);
    expect(await until(w, shows("Not applied: The instance count must be a whole number from 1 to 50"), "the rejection")).toContain("Instances      1");
    await press(w, KEY.down, KEY.enter); // auth mode cycles Key → AMLToken
    await until(w, shows("Auth mode      AMLToken"), "the auth mode");
    await press(w, KEY.enter, KEY.enter); // → AADToken → Key
    await until(w, shows("Auth mode      Key"), "back to key auth");
    await press(w, KEY.escape, KEY.left);
    await until(w, shows("review telemetry-svc (1/2"), "the first page again");
    await press(w, KEY.enter, KEY.enter);
    frame = await until(w, shows("aci-migrate · confirm"), "confirm");
    expect(frame).toContain("endpoint telemetry-svc-online");
    expect(frame).toContain("endpoint iris-noauth-online");
    await press(w, KEY.enter);
    frame = await until(w, (f) => f.includes("telemetry-svc\n") && f.includes("iris-noauth\n") && f.includes("deploying"), "two lanes");
    frame = await until(w, shows("aci-migrate · done"), "done", 60_000);
    expect(frame).toContain("✓ telemetry-svc → telemetry-svc-online/blue");
    expect(frame).toContain("✓ iris-noauth → iris-noauth-online/blue");
  });
});

describe("the wizard's layout", () => {
  it("reflows on resize: the services table gains its created column when the terminal widens", async () => {
    const w = open();
    await selectService(w, "credit");
    const resize = async (columns: number) => {
      Object.defineProperty(w.stdout, "columns", { configurable: true, get: () => columns });
      await act(async () => {
        w.stdout.emit("resize");
        await new Promise((r) => setTimeout(r, 20));
      });
    };
    await resize(80);
    const narrow = await until(w, (f) => !f.includes("created"), "the narrow layout");
    expect(narrow).toMatch(/credit-2cpu-4gb +Healthy +2\/4 GB +key +eastus\n/);
    await resize(120);
    const wide = await until(w, shows("created"), "the wide layout");
    expect(wide).toMatch(/credit-2cpu-4gb +Healthy +2\/4 GB +key +eastus +\d{4}-\d\d-\d\d/);
  });
});

describe("the wizard's error states", { timeout: 60_000 }, () => {
  it("a workspace that refuses its service list shows the error with a hint, and Esc goes back", async () => {
    const { startSandbox, parseFaultSpec } = await import("../../src/sandbox/index.js");
    const refusing = await startSandbox({ speed: 400, faults: parseFaultSpec("403@Services_ListQuery") });
    try {
      const conn = connectionFor({ armEndpoint: refusing.armEndpoint, caPem: refusing.caPem, token: refusing.token, speed: 400 });
      ink = render(<App backend={wizardBackend({ conn, sandbox: true, close: async () => {} }, { stateDir: await mkdtemp(join(tmpdir(), "aci-migrate-wizard-403-")), exportDir })} onExit={() => {}} nameCheckDelayMs={10} />);
      const w = ink;
      await until(w, shows("Start a new migration"), "the start screen");
      await press(w, KEY.enter);
      await until(w, shows("Contoso ML Production"), "subscriptions");
      await press(w, KEY.enter);
      await until(w, shows("ml-prod-eastus"), "workspaces");
      await press(w, KEY.enter);
      const frame = await until(w, shows("Could not list services"), "the error state");
      expect(frame).toContain("Your account cannot read this");
      await press(w, KEY.escape);
      await until(w, shows("workspace in Contoso ML Production"), "back to the workspaces");
    } finally {
      await refusing.stop();
    }
  });
});
