import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { KEY, press, shows, type, until, type InkInstance } from "../helpers/ink.js";
import { wizardWorld, type WizardWorld } from "../helpers/wizard.js";

// The wizard (the journey through the ink face) against a sandbox of each test's own, through the real SDK
// clients over HTTPS; keys go in through ink's stdin, one per act().
let world: WizardWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function open(o: Parameters<WizardWorld["open"]>[0] = {}) {
  world = await wizardWorld();
  return world.open(o);
}

/** Subscription → workspace → the services filtered to `filter`, the first match selected, Enter. */
async function chooseService(w: InkInstance, filter: string): Promise<void> {
  await until(w, shows("Which subscription?"), "the subscriptions");
  await press(w, KEY.enter);
  await until(w, shows("Which workspace?"), "the workspaces");
  await press(w, KEY.enter);
  await until(w, shows("Which services of ml-prod-eastus"), "the services");
  await type(w, filter);
  await press(w, KEY.space);
  await until(w, shows("[x]"), "the selection");
  await press(w, KEY.enter);
}

/** Picks the choice holding `text` in the open list: typed, the list keeps the choices that hold it; Enter. */
async function choose(w: InkInstance, text: string): Promise<void> {
  await type(w, text);
  await until(w, shows(`Filter: ${text}▏`), `the filter "${text}"`);
  await press(w, KEY.enter);
}

describe("the wizard: the journey in ink", { timeout: 90_000 }, () => {
  it("says it works on the SANDBOX; Ctrl+C at a question ends with 130 and says nothing changed", async () => {
    const { ink: w, exit } = await open();
    const frame = await until(w, shows("Which subscription?"), "the first question");
    expect(frame).toContain("SANDBOX (the embedded Azure at https://127.0.0.1:");
    expect(frame).toContain("↑↓ move · Enter choose · Esc back · ? help");
    await press(w, "?");
    expect(await until(w, shows("Keys"), "the help")).toContain("While it runs: l logs on/off · Tab other container · n next service · Ctrl+C leave");
    await press(w, "?");
    await press(w, KEY.ctrlC);
    expect(await exit).toBe(130);
    expect(w.lastFrame()).toContain("Cancelled; nothing more was changed.");
  });

  it("Esc goes back a question; type-to-filter; two erasures in one chunk erase two characters", async () => {
    const { ink: w } = await open();
    await until(w, shows("Which subscription?"), "the subscriptions");
    await press(w, KEY.enter);
    await until(w, shows("Which workspace?"), "the workspaces");
    await press(w, KEY.escape);
    await until(w, (f) => f.lastIndexOf("Which subscription?") > f.lastIndexOf("Which workspace?"), "the subscriptions again");
    await press(w, KEY.enter);
    await until(w, (f) => f.lastIndexOf("Which workspace?") > f.lastIndexOf("Which subscription?"), "the workspaces again");
    await press(w, KEY.enter);
    await until(w, shows("Which services of ml-prod-eastus"), "the services");
    await type(w, "recs-ax");
    await press(w, "\u007f\u007f"); // one chunk, two erasures
    const frame = await until(w, shows("Filter: recs-▏"), "the filter after two erasures");
    expect(frame).toContain("recs-aks");
    await press(w, KEY.space);
    expect(await until(w, shows("cannot be chosen"), "the refusal")).toContain("runs on AKS; only ACI services are migrated by this tool");
    await press(w, KEY.enter);
    expect(await until(w, shows("Choose at least one service"), "at least one")).not.toContain("[x]");
  });

  it("Esc from a review goes back to the services as they were left: the selection ticked, the filter typed", async () => {
    const { ink: w } = await open();
    await chooseService(w, "credit");
    await until(w, shows("Review 1 of 1: credit-2cpu-4gb"), "the review");
    await press(w, KEY.escape);
    const back = await until(w, (f) => f.lastIndexOf("Which services of") > f.lastIndexOf("Review 1 of 1"), "the services again");
    const live = back.slice(back.lastIndexOf("Which services of"));
    expect(live).toContain("Filter: credit▏");
    expect(live).toMatch(/\[x\] credit-2cpu-4gb/);
    await press(w, KEY.enter);
    await until(w, (f) => f.lastIndexOf("Review 1 of 1: credit-2cpu-4gb") > f.lastIndexOf("Which services of"), "the same review, no re-ticking");
  });

  it("a taken endpoint name is a blocker at review with a free name to rename to; renamed, it migrates and is retired by its name", async () => {
    const { ink: w, exit } = await open();
    await chooseService(w, "fraud-det");
    let frame = await until(w, shows("fraud-detector: what next?"), "the review");
    expect(frame).toContain("BLOCKER  endpoint-name-taken");
    expect(frame).toContain("Rename the endpoint to fraud-detector-online-2 (free in eastus)");
    await choose(w, "Rename the endpoint to fraud-detector-online-2");
    frame = await until(w, (f) => f.includes("Go on with this plan") && !f.includes("Rename the endpoint to"), "the review after the rename");
    await choose(w, "Go on with this plan");
    await until(w, shows("Start the migration of fraud-detector now?"), "the confirmation");
    expect(w.lastFrame()).toContain("fraud-detector → fraud-detector-online-2/blue");
    await press(w, KEY.enter);
    frame = await until(w, shows("Retire the old ACI service fraud-detector now?"), "the result", 60_000);
    expect(frame).toMatch(/Scoring URI\s+https:\/\/127\.0\.0\.1:\d+\/online\/eastus\/fraud-detector-online-2\/score/);
    expect(frame).toMatch(/Smoke test +passed/);
    await type(w, "fraud-detector");
    await press(w, KEY.enter);
    await until(w, shows("✓ fraud-detector retired."), "the retirement");
    expect(await exit).toBe(0);
    expect(world!.sb.world.services.some((s) => s.name === "fraud-detector" && s.workspace.endsWith("/ml-prod-eastus"))).toBe(false);
  });

  it("a deployment without the inference server fails with Azure's code, the likely cause and remedy; another environment picked from the list fixes it", async () => {
    const { ink: w, exit } = await open();
    await chooseService(w, "broken");
    await until(w, shows("broken-env: what next?"), "the review");
    await press(w, KEY.enter);
    await until(w, shows("Acknowledge missing-inference-server and migrate broken-env anyway?"), "the blocker");
    await choose(w, "Yes");
    await until(w, shows("Start the migration of broken-env now?"), "the confirmation");
    await press(w, KEY.enter);
    let frame = await until(w, shows("What now for broken-env?"), "the question after the failure", 60_000);
    expect(frame).toContain("Azure code ResourceNotReady");
    expect(frame).toContain("Likely cause: The environment has no inference server");
    expect(frame).toContain("Remedy: Add azureml-inference-server-http");
    expect(frame).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] deployment/); // the step waits for the person: no spinner
    await choose(w, "Change the plan, then retry");
    await choose(w, "Environment");
    frame = await until(w, shows("Environment for broken-env"), "the environments");
    expect(frame).toMatch(/❯ sklearn-inference-env:4 +has the inference server/);
    expect(frame).toMatch(/legacy-core-only-env:1 +no inference server/);
    await press(w, KEY.enter);
    await until(w, shows("Environment: sklearn-inference-env:4"), "the change");
    await press(w, KEY.enter); // Apply
    frame = await until(w, shows("Retire the old ACI service broken-env now?"), "the result", 60_000);
    expect(frame).toMatch(/Smoke test +passed/);
    await press(w, KEY.enter);
    expect(await exit).toBe(0);
    const deployments = world!.sb.world.deployments.filter((d) => d.endpoint === "broken-env-online");
    expect(deployments.map((d) => d.properties.environmentId)).toEqual([expect.stringMatching(/environments\/sklearn-inference-env\/versions\/4$/)]);
  });

  it("after a failure the VM size changes (green beside blue); stopping leaves the session resumable with a command that names the state dir", async () => {
    const { ink: w, exit } = await open();
    await chooseService(w, "broken");
    await until(w, shows("broken-env: what next?"), "the review");
    await press(w, KEY.enter); // go on
    await until(w, shows("Acknowledge missing-inference-server"), "the blocker");
    await choose(w, "Yes");
    await until(w, shows("Start the migration of broken-env now?"), "the confirmation");
    await press(w, KEY.enter);
    await until(w, shows("What now for broken-env?"), "the failure", 60_000);
    await choose(w, "Change the plan, then retry");
    await choose(w, "VM size");
    await until(w, shows("VM size for broken-env"), "the sizes");
    await press(w, KEY.down, KEY.enter); // the second cheapest that fits
    await until(w, (f) => /VM size: Standard_\w+/.test(f.slice(f.lastIndexOf("Change what, then apply?"))), "the change");
    await choose(w, "Apply these changes and try again");
    await until(w, (f) => f.includes("Deployment green failed") && f.includes("What now for broken-env?"), "the second failure (same environment)", 60_000);
    const sizes = Object.fromEntries(
      world!.sb.world.deployments.filter((d) => d.endpoint === "broken-env-online").map((d) => [d.name, d.properties.instanceType]),
    );
    expect(Object.keys(sizes).sort()).toEqual(["blue", "green"]);
    expect(sizes.green).not.toBe(sizes.blue);
    await choose(w, "Stop this service here");
    expect(await exit).toBe(1);
    expect(w.lastFrame()).toMatch(
      new RegExp(
        `Continue\\s+with:\\s+aci-migrate --sandbox --state-dir ${world!.stateDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} resume \\d{8}-\\d{6}-[0-9a-f]{4}`,
      ),
    );
  });

  it("Ctrl+C mid-deployment asks; w keeps watching, q leaves with 130; resuming that session finishes it without a second deployment", async () => {
    const first = await open();
    const w = first.ink;
    await chooseService(w, "sklearn");
    await until(w, shows("sklearn-1cpu-2gb: what next?"), "the review");
    await press(w, KEY.enter, KEY.enter);
    await until(w, (f) => f.includes("deploying · session") && /endpoint +\d+s/.test(f), "the run", 30_000);
    await press(w, KEY.ctrlC);
    let frame = await until(w, shows("Leave now?"), "the question");
    expect(frame).toContain("q leave now · w keep watching");
    await press(w, "w");
    await until(w, (f) => !f.includes("Leave now?"), "watching again");
    await press(w, KEY.ctrlC);
    await until(w, shows("Leave now?"), "the question again");
    await press(w, "q");
    expect(await first.exit).toBe(130);
    frame = w.lastFrame() ?? "";
    const id =
      /Left\s+session\s+(\d{8}-\d{6}-[0-9a-f]{4}):\s+anything\s+already\s+started\s+keeps\s+running\s+in\s+Azure\.\s+Continue\s+with:\s+aci-migrate --sandbox --state-dir \S+ resume \1/.exec(
        frame,
      )?.[1];
    expect(id, frame).toBeDefined();
    expect(frame).not.toContain("Leave now?");
    w.unmount();

    const again = world!.open({ resume: id });
    frame = await until(again.ink, shows("Retire the old ACI service sklearn-1cpu-2gb now?"), "the resumed run", 60_000);
    await press(again.ink, KEY.enter);
    expect(await again.exit).toBe(0);
    expect(world!.sb.world.deployments.filter((d) => d.endpoint === "sklearn-1cpu-2gb-online")).toHaveLength(1);
  });

  it("review at 80×24: findings wrap instead of being cut, the title stays while PgDn scrolls; the export writes the YAML", async () => {
    const { ink: w } = await open({ columns: 80, rows: 24 });
    await chooseService(w, "credit");
    let frame = await until(w, shows("credit-2cpu-4gb: what next?"), "the review");
    const live = frame.slice(frame.lastIndexOf(" Review 1 of 1: credit-2cpu-4gb"));
    expect(live.split("\n").length).toBeLessThanOrEqual(24);
    expect(live).toMatch(/lines 1-\d+ of \d+, PgUp\/PgDn/);
    expect(Math.max(...live.split("\n").map((l) => l.length))).toBeLessThanOrEqual(80);
    // A finding longer than the terminal wraps, its continuation under its own first line.
    const lines = live.split("\n");
    const at = lines.findIndex((l) => l.includes("The deployment runs one instance"));
    expect(lines[at]).toMatch(/^ {11}The deployment runs one instance/);
    expect(lines[at + 1]).toMatch(/^ {11}\S/);
    expect(`${lines[at]} ${lines[at + 1]!.trim()}`).toContain("during an Azure host update or a crash it cannot answer.".slice(0, 40));
    await press(w, "\u001B[6~"); // PgDn
    frame = await until(w, (f) => /lines (?!1-)\d+-\d+ of/.test(f), "the next page");
    expect(stripVTControlCharacters(frame)).toMatch(/^ Review 1 of 1: credit-2cpu-4gb$/m); // the title stays
    await choose(w, "Export the az ml YAML");
    await until(w, shows("Exported"), "the export");
    expect(await readFile(join(world!.exportDir, "credit-2cpu-4gb", "deployment.yml"), "utf8")).toContain("instance_type: Standard_DS2_v2");
    // As `plan -w … --out` writes it: the scoring code from the v1 snapshot, and commands naming the workspace.
    const exported = join(world!.exportDir, "credit-2cpu-4gb");
    expect(existsSync(join(exported, "code", "score.py"))).toBe(true);
    const readme = await readFile(join(exported, "README.md"), "utf8");
    expect(readme).toContain("-g rg-ml-prod -w ml-prod-eastus");
    expect(readme).not.toMatch(/RESOURCE_GROUP|mkdir -p code/);
  });

  it("a workspace that refuses its service list: the error as every face says it (what, the status's one advice), then the choice of where again", async () => {
    world = await wizardWorld({ faults: "403@Services_ListQuery" });
    const { ink: w } = world.open();
    await until(w, shows("Which subscription?"), "the subscriptions");
    await press(w, KEY.enter);
    await until(w, shows("Which workspace?"), "the workspaces");
    await press(w, KEY.enter);
    const frame = await until(
      w,
      (f) => f.includes("Could not list the services of ml-prod-eastus") && f.lastIndexOf("Which subscription?") > f.indexOf("Could not list"),
      "the error, then the choice again",
    );
    expect(frame).toContain("Error: Azure refused Services_ListQuery");
    expect(frame).toContain("Your account lacks a permission here: ask for Contributor (or AzureML Data Scientist) on the workspace");
  });
});
