import { mkdtemp } from "node:fs/promises";
import { readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { runBin } from "../helpers/run-bin.js";
import { startAttachedSandbox, type AttachedSandbox } from "../helpers/sandbox.js";
import { TmuxTerminal } from "../helpers/tmux.js";

// Plain mode, as a screen-reader user or a dumb terminal gets it: the built binary in tmux, answering
// @inquirer/prompts questions one at a time, each test against a sandbox and a state directory of its own.
let sandbox: AttachedSandbox;
let workDir = "";
const terminals: TmuxTerminal[] = [];
let stopSandbox: (() => Promise<void>) | undefined;
async function fresh(): Promise<void> {
  const started = await startAttachedSandbox({ speed: 150 });
  sandbox = started;
  stopSandbox = () => started.stop();
  workDir = await mkdtemp(join(tmpdir(), "aci-migrate-plain-"));
}
afterAll(() => TmuxTerminal.killServer());
afterEach(async () => {
  for (const t of terminals.splice(0)) t.kill();
  await stopSandbox?.();
  stopSandbox = undefined;
  rmSync(workDir, { recursive: true, force: true });
});

function terminal(name: string, args: string[], env: Record<string, string> = {}, pasted?: string): TmuxTerminal {
  const t = new TmuxTerminal(name, workDir, ["--sandbox", "--state-dir", sandbox.stateDir, ...args], { columns: 100, rows: 50 }, env, pasted);
  // Plain mode lays its lines out to the terminal (prose wraps at a word, under its indent): read back, a wrapped
  // line is one again, so what it says is matched as said.
  const screen = t.screen.bind(t);
  t.screen = () => screen().replace(/([^\n]{60,})\n +(?=[^\s+-])/g, "$1 "); // a diff's rows keep their own lines
  terminals.push(t);
  return t;
}

const hasService = (name: string) => sandbox.sb.world.services.some((s) => s.name === name && s.workspace.endsWith("/ml-prod-eastus"));
const deploymentOf = (service: string) => sandbox.sb.world.deployments.filter((d) => d.endpoint === `${service}-online`);

/** Where the cursor must go in the services question: selectable rows (healthy ACI services) sorted by name. */
function rowOf(service: string): number {
  const selectable = sandbox.sb.world.services
    .filter((s) => s.workspace.endsWith("/ml-prod-eastus") && String(s.doc.computeType).toUpperCase() === "ACI" && s.doc.state === "Healthy")
    .map((s) => s.name)
    .sort((a, b) => a.localeCompare(b));
  expect(selectable).toContain(service);
  return selectable.indexOf(service);
}

/** Presses Down `n` times, then Enter. */
async function pick(t: TmuxTerminal, n: number): Promise<void> {
  await t.send(...Array<string>(n).fill("Down"), "Enter");
}

describe("plain mode in a real terminal (tmux)", { timeout: 180_000 }, () => {
  beforeEach(fresh);
  it("--plain: pick a service, change its VM size, confirm, follow the lines to the scoring URI, keep the old service", async () => {
    const t = terminal("plain", ["--plain"]);
    await t.waitFor((s) => s.includes("Which subscription?"), "the subscription question");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Which workspace?"), "the workspace question");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Which services of ml-prod-eastus"), "the services question");
    expect(t.screen()).toMatch(/failed-svc .*\(it is Failed; fix or redeploy it on ACI first/); // listed, not selectable
    await t.send(...Array<string>(rowOf("credit-2cpu-4gb")).fill("Down"), "Space", "Enter");
    const review = await t.waitFor((s) => s.includes("credit-2cpu-4gb: what next?"), "the review");
    expect(review).toContain("Plan for ACI service credit-2cpu-4gb");
    expect(review).toMatch(/▶ +3 +\(1, 2\] +\(1\.7, 4\.7\] +DS2 V2/); // Microsoft's table, the matched row
    expect(review).toMatch(/Free +\d+ vCPUs of standardDSv2Family in eastus \(enough\)/);
    await pick(t, 1); // Change the plan
    await t.waitFor((s) => s.includes("What do you want to change for credit-2cpu-4gb?"), "the fields");
    await pick(t, 3); // VM size
    await t.waitFor((s) => s.includes("VM size for credit-2cpu-4gb (those that fit 2 CPU / 4 GB, cheapest first)"), "the VM sizes");
    await pick(t, 12); // the last entry: type a name
    await t.waitFor((s) => s.includes("VM size (e.g. Standard_DS3_v2"), "the VM size by name");
    await t.send("Standard_Nope", "Enter");
    await t.waitFor((s) => s.includes('"Standard_Nope" is not a VM size that managed online endpoints support'), "the rejection");
    await t.send(...Array<string>("Standard_Nope".length).fill("BSpace"), "Standard_F4s_v2", "Enter");
    await t.waitFor((s) => s.includes("VM size: Standard_F4s_v2"), "the changed plan");
    await t.send("Enter"); // Done
    await t.waitFor(
      (s) => s.includes("you chose Standard_F4s_v2") && s.lastIndexOf("credit-2cpu-4gb: what next?") > s.lastIndexOf("you chose Standard_F4s_v2"),
      "the review of the changed plan",
    );
    await t.send("Enter"); // Go on
    await t.waitFor((s) => s.includes("Start the migration of credit-2cpu-4gb now?"), "the confirmation");
    expect(t.screen()).toMatch(/credit-2cpu-4gb → credit-2cpu-4gb-online\/blue · 1 × Standard_F4s_v2 · Key auth, the v1 keys carried over/);
    await t.send("Enter");
    const done = await t.waitFor((s) => s.includes("Retire the old ACI service credit-2cpu-4gb now?"), "the result", 90_000);
    for (const step of ["preflight", "code", "endpoint", "deployment", "smoke-test", "traffic"]) expect(done).toContain(`✓ credit-2cpu-4gb · ${step}`);
    expect(done).toMatch(/\[InferenceServer\] .*Azure ML Inferencing HTTP server/); // container logs, line by line
    expect(done).toMatch(/Scoring URI\s+https:\/\/127\.0\.0\.1:\d+\/online\/eastus\/credit-2cpu-4gb-online\/score/);
    expect(done).toMatch(/Smoke test +passed/);
    await t.send("Enter"); // keep it
    const kept = await t.waitFor((s) => s.includes("credit-2cpu-4gb stays"), "the answer");
    expect(await t.exitCode()).toBe(0);
    expect(deploymentOf("credit-2cpu-4gb").map((d) => d.properties.instanceType)).toEqual(["Standard_F4s_v2"]);
    expect(hasService("credit-2cpu-4gb")).toBe(true);
    // The retire line it printed works pasted as printed (same sandbox, same state directory).
    const later = /retire it later with:\s+(aci-migrate .*--yes)/.exec(kept)![1]!; // the command on a line of its own
    expect(later).toBe(`aci-migrate --sandbox --state-dir ${sandbox.stateDir} retire -w ml-prod-eastus --service credit-2cpu-4gb --yes`);
    const retire = terminal("retire-later", [], {}, later);
    expect(await retire.exitCode(60_000), retire.screen()).toBe(0);
    expect(hasService("credit-2cpu-4gb")).toBe(false);
  });

  it("two models: the review shows the scoring script's edits as a diff; accepted, the service migrates with its models in one folder", async () => {
    const t = terminal("two-models", ["--plain", "-w", "ml-prod-eastus"]);
    await t.waitFor((s) => s.includes("Which services of ml-prod-eastus"), "the services question");
    await t.send(...Array<string>(rowOf("ensemble-two-models")).fill("Down"), "Space", "Enter");
    const review = await t.waitFor((s) => s.includes("ensemble-two-models: what next?"), "the review");
    expect(review).toContain("BLOCKER  script-v1-model-paths");
    expect(review).toContain("Edits of score.py the script check offers  (not accepted)");
    // The added line, cut where the row ends: each part keeps its +.
    expect(review).toContain('+    models["ensemble-gbm"] = load(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "models"');
    expect(review).toMatch(/\n {2}\+.*"4", "model\.json"\)\)/);
    expect(review).toContain("Accept the edits of score.py shown (the deployed copy gets them");
    await pick(t, 1); // accept the edits
    const accepted = "(accepted: the deployed copy gets them";
    await t.waitFor(
      (s) => s.includes(accepted) && s.lastIndexOf("ensemble-two-models: what next?") > s.lastIndexOf(accepted),
      "the review with the edits accepted",
    );
    await t.send("Enter"); // Go on: no blocker left
    await t.waitFor((s) => s.includes("Start the migration of ensemble-two-models now?"), "the confirmation");
    await t.send("Enter");
    const done = await t.waitFor((s) => s.includes("Retire the old ACI service ensemble-two-models now?"), "the result", 90_000);
    expect(done).toMatch(/✓ ensemble-two-models · model: registered ensemble-two-models-models:1/);
    expect(done).toMatch(/Smoke test +passed/);
    await t.send("Enter"); // keep it
    expect(await t.exitCode()).toBe(0);
  });

  it("TERM=dumb is plain without asking; a crashed deployment is asked about, a new environment fixes it, the old service is retired by its name", async () => {
    const t = terminal("dumb", ["-w", "ml-prod-eastus"], { TERM: "dumb" });
    // -w leaves one subscription and one workspace: nothing to ask.
    const first = await t.waitFor((s) => s.includes("Which services of ml-prod-eastus"), "the services question");
    expect(first).toContain("Workspace: ml-prod-eastus (rg-ml-prod, eastus)");
    expect(first).not.toContain("Which subscription?");
    await t.send(...Array<string>(rowOf("broken-env")).fill("Down"), "Space", "Enter");
    await t.waitFor((s) => s.includes("broken-env: what next?"), "the review");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Acknowledge missing-inference-server and migrate broken-env anyway?"), "the blocker");
    await t.send("y", "Enter");
    await t.waitFor((s) => s.includes("Start the migration of broken-env now?"), "the confirmation");
    await t.send("Enter");
    const asked = await t.waitFor((s) => s.includes("What now for broken-env?"), "the question after the crash", 90_000);
    expect(asked).toContain("Likely cause: The environment has no inference server");
    expect(asked).toContain("No module named 'azureml_inference_server_http'");
    await pick(t, 1); // Change the plan, then retry
    await t.waitFor((s) => s.includes("Change what, then apply?"), "what to change");
    await pick(t, 3); // Environment
    // The workspace's registered environments, each marked; those with the inference server come first.
    const envs = await t.waitFor((s) => s.includes("Environment for broken-env ("), "the environment list");
    expect(envs).toMatch(/❯ sklearn-inference-env:4 +has the inference server/);
    expect(envs).toMatch(/legacy-core-only-env:1 +no inference server: the container would not start/);
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Environment: sklearn-inference-env:4"), "the change");
    await t.send("Enter"); // Apply (the cursor is on it once something changed)
    await t.waitFor((s) => s.includes("Retire the old ACI service broken-env now?"), "the result", 90_000);
    await t.send("broken-env", "Enter");
    await t.waitFor((s) => s.includes("✓ broken-env retired."), "the retirement");
    expect(await t.exitCode()).toBe(0);
    expect(hasService("broken-env")).toBe(false);
    const [deployment, ...others] = deploymentOf("broken-env");
    expect(others).toEqual([]);
    expect(deployment!.properties.environmentId).toMatch(/environments\/sklearn-inference-env\/versions\/4$/);
  });

  it("Ctrl+C mid-deployment leaves (exit 130); the resume line it printed, pasted as printed, finishes it", async () => {
    const t = terminal("leave", ["--plain", "-w", "ml-prod-eastus"]);
    await t.waitFor((s) => s.includes("Which services of ml-prod-eastus"), "the services question");
    await t.send(...Array<string>(rowOf("iris-noauth")).fill("Down"), "Space", "Enter");
    await t.waitFor((s) => s.includes("iris-noauth: what next?"), "the review");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Start the migration of iris-noauth now?"), "the confirmation");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("iris-noauth · deployment: deployment Creating"), "the deployment provisioning", 60_000);
    await t.send("C-c");
    expect(await t.exitCode()).toBe(130);
    // The printed next step names the sandbox, this state directory and plain mode, so it works pasted as printed
    // (without --plain it would open the ink wizard on a screen reader's terminal).
    const printed = /Continue with: (aci-migrate --sandbox --state-dir \S+ --plain resume (\d{8}-\d{6}-[0-9a-f]{4}))/.exec(t.screen());
    expect(printed?.[1], t.screen()).toContain(`--state-dir ${sandbox.stateDir} --plain resume`);
    const id = printed![2]!;

    const again = terminal("again", [], {}, printed![1]);
    await again.waitFor((s) => s.includes(`Resuming session ${id}`) && s.includes("Retire the old ACI service iris-noauth now?"), "the resumed run", 90_000);
    await again.send("Enter");
    expect(await again.exitCode()).toBe(0);
    expect(deploymentOf("iris-noauth")).toHaveLength(1); // re-attached, never created twice
  });

  it("migrate without --yes at a terminal shows the plan and asks; the default no changes nothing (exit 130)", async () => {
    const t = terminal("ask", ["migrate", "-w", "ml-prod-eastus", "--service", "churn-keyauth", "--instances", "3"]);
    const asked = await t.waitFor((s) => s.includes("Create this endpoint now? (y/N)"), "the question");
    expect(asked).toContain("churn-keyauth → churn-keyauth-online/blue · 3 × Standard_DS1_v2");
    await t.send("Enter");
    expect(await t.exitCode()).toBe(130);
    expect(t.screen()).toContain("Nothing was changed.");
    expect(sandbox.sb.world.endpoints.some((e) => e.name === "churn-keyauth-online")).toBe(false);
  });

  it("--plain: a taken endpoint name is a blocker at review with the free name one choice away", async () => {
    const t = terminal("rename", ["--plain", "-w", "ml-prod-eastus"]);
    await t.waitFor((s) => s.includes("Which services of ml-prod-eastus"), "the services question");
    await t.send(...Array<string>(rowOf("fraud-detector")).fill("Down"), "Space", "Enter");
    const review = await t.waitFor((s) => s.includes("fraud-detector: what next?"), "the review");
    expect(review).toContain("BLOCKER  endpoint-name-taken");
    expect(review).toContain("Rename the endpoint to fraud-detector-online-2 (free in eastus)");
    expect(review).not.toContain("Go on"); // Azure would refuse it: the rename comes first, going on is not offered
    await pick(t, 0);
    await t.waitFor((s) => s.lastIndexOf("Go on with this plan") > s.lastIndexOf("Rename the endpoint to"), "the review after the rename");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Start the migration of fraud-detector now?"), "the confirmation");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Retire the old ACI service fraud-detector now?"), "the result", 90_000);
    await t.send("Enter");
    expect(await t.exitCode()).toBe(0);
    expect(sandbox.sb.world.endpoints.some((e) => e.name === "fraud-detector-online-2")).toBe(true);
  });

  it("--plain: after a failure the VM size changes (green beside blue); stop ends with 1", async () => {
    const t = terminal("vm-size", ["--plain", "-w", "ml-prod-eastus"]);
    await t.waitFor((s) => s.includes("Which services of ml-prod-eastus"), "the services question");
    await t.send(...Array<string>(rowOf("broken-env")).fill("Down"), "Space", "Enter");
    await t.waitFor((s) => s.includes("broken-env: what next?"), "the review");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Acknowledge missing-inference-server"), "the blocker");
    await t.send("y", "Enter");
    await t.waitFor((s) => s.includes("Start the migration of broken-env now?"), "the confirmation");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("What now for broken-env?"), "the question after the crash", 90_000);
    await pick(t, 1); // change the plan
    await t.waitFor((s) => s.includes("Change what, then apply?"), "what to change");
    await pick(t, 0); // VM size
    await t.waitFor((s) => s.includes("VM size for broken-env"), "the sizes");
    await pick(t, 1);
    await t.waitFor((s) => /Change what, then apply\?[\s\S]*VM size: Standard_\w+/.test(s), "the change");
    await t.send("Enter"); // apply (the cursor is on it once something changed)
    await t.waitFor((s) => s.split("What now for broken-env?").length > 2, "the second failure", 90_000);
    await pick(t, 2); // stop
    expect(await t.exitCode()).toBe(1);
    expect(
      deploymentOf("broken-env")
        .map((d) => d.name)
        .sort(),
    ).toEqual(["blue", "green"]);
  });

  it("--plain: a finished session is rolled back from the start question, its list shown first", async () => {
    const migrated = await runBin(["--sandbox", "--state-dir", sandbox.stateDir, "migrate", "-w", "ml-prod-eastus", "--service", "iris-noauth", "--yes"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    const t = terminal("rollback", ["--plain"]);
    await t.waitFor((s) => s.includes("Roll back a session (delete what it created in Azure)"), "the start question");
    await pick(t, 1);
    await t.waitFor((s) => s.includes("Roll back which session?"), "the sessions");
    await t.send("Enter");
    const asked = await t.waitFor((s) => s.includes("Delete these 2 resources from Azure?"), "the confirmation");
    expect(asked).toContain("endpoint iris-noauth-online (with its deployment blue)");
    await t.send("y", "Enter");
    expect(await t.exitCode()).toBe(0);
    expect(sandbox.sb.world.endpoints.some((e) => e.name === "iris-noauth-online")).toBe(false);
    expect(hasService("iris-noauth")).toBe(true);
  });

  it("--sandbox --plain without --state-dir: the sandbox and its sessions live in memory; nothing lands in the home folder, and no resume line promises otherwise", async () => {
    const home = await mkdtemp(join(tmpdir(), "aci-migrate-home-"));
    const t = new TmuxTerminal(
      "in-memory",
      workDir,
      ["--sandbox", "--plain", "-w", "ml-prod-eastus"],
      { columns: 100, rows: 50 },
      { HOME: home, XDG_STATE_HOME: "", ACI_MIGRATE_STATE_DIR: "" },
    );
    terminals.push(t);
    try {
      await t.waitFor((s) => s.includes("Which services of ml-prod-eastus"), "the services question");
      await t.send(...Array<string>(rowOf("churn-keyauth")).fill("Down"), "Space", "Enter");
      await t.waitFor((s) => s.includes("churn-keyauth: what next?"), "the review");
      await t.send("Enter");
      await t.waitFor((s) => s.includes("Start the migration of churn-keyauth now?"), "the confirmation");
      await t.send("Enter");
      await t.waitFor((s) => s.includes("· endpoint"), "the run", 60_000);
      await t.send("C-c");
      expect(await t.exitCode()).toBe(130);
      expect(t.screen()).toMatch(/Continue with:\s+nothing\s+\(this\s+sandbox\s+lived\s+in\s+memory\s+and\s+ends\s+with\s+this\s+run/);
      expect(readdirSync(home)).toEqual([]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
