import { mkdtemp } from "node:fs/promises";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { runBin } from "../helpers/run-bin.js";
import { startAttachedSandbox } from "../helpers/sandbox.js";
import { TmuxTerminal } from "../helpers/tmux.js";

// The built binary in tmux, each test against a sandbox and a state directory of its own: what a person at an
// 80×24 or a 120×40 terminal sees and does.
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => TmuxTerminal.killServer());

async function setUp(size: { columns: number; rows: number }, env: Record<string, string> = {}) {
  const sandbox = await startAttachedSandbox({ speed: 150 });
  const workDir = await mkdtemp(join(tmpdir(), "aci-migrate-tmux-"));
  const terminals: TmuxTerminal[] = [];
  cleanups.push(
    () => sandbox.stop(),
    () => rmSync(workDir, { recursive: true, force: true }),
    () => terminals.forEach((t) => t.kill()),
  );
  const open = (name: string, o: { args?: string[]; pasted?: string } = {}) => {
    const t = new TmuxTerminal(name, workDir, ["--sandbox", "--state-dir", sandbox.stateDir, ...(o.args ?? [])], size, env, o.pasted);
    terminals.push(t);
    return t;
  };
  return { sandbox, open };
}

/** Every visible line fits the terminal's width. */
function fits(t: TmuxTerminal, columns: number): void {
  for (const line of t.visible().split("\n")) expect(line.length, line).toBeLessThanOrEqual(columns);
}

/** Subscription → workspace → each service named (typed to filter, Space), then Enter. */
async function chooseServices(t: TmuxTerminal, ...names: string[]): Promise<void> {
  await t.waitFor((s) => s.includes("Which subscription?"), "the subscriptions");
  await t.send("Enter");
  await t.waitFor((s) => s.includes("Which workspace?"), "the workspaces");
  await t.send("Enter");
  await t.waitFor((s) => s.includes("Which services of ml-prod-eastus"), "the services");
  for (const name of names) {
    await t.send(name);
    await t.waitFor((s) => s.includes(`Filter: ${name}▏`), `the filter ${name}`);
    await t.send("Space", "Escape"); // select it, clear the filter
  }
  await t.send("Enter");
}

/** Types `text` into the open list (it keeps the choices holding it), then Enter. */
async function choose(t: TmuxTerminal, text: string): Promise<void> {
  await t.send(text);
  await t.waitFor((s) => s.includes(`Filter: ${text}▏`), `the filter ${text}`);
  await t.send("Enter");
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe("the wizard in a real terminal (tmux)", { timeout: 180_000 }, () => {
  it("keys typed before the first frame are not lost: they answer the first questions when these come", async () => {
    const { open } = await setUp({ columns: 80, rows: 24 });
    const t = open("type-ahead");
    await t.send("Enter", "Enter"); // at once, while node and ink are still loading
    const screen = await t.waitFor((s) => s.includes("Which services of ml-prod-eastus"), "the services, without a key more");
    expect(screen).toContain("Subscription: Contoso ML Production");
    expect(screen).toContain("Workspace: ml-prod-eastus");
    await t.send("C-c");
    expect(await t.exitCode()).toBe(130);
  });

  it("80×24: a taken name is renamed at review with the free name offered; the review fits and keeps its title; the key bar goes at the end", async () => {
    const { open, sandbox } = await setUp({ columns: 80, rows: 24 });
    const t = open("rename");
    await chooseServices(t, "fraud-det");
    await t.waitFor((s) => s.includes("fraud-detector: what next?"), "the review");
    let screen = t.visible();
    expect(screen).toContain(" Review 1 of 1: fraud-detector");
    expect(screen).toContain("BLOCKER  endpoint-name-taken");
    expect(screen).toContain("Rename the endpoint to fraud-detector-online-2 (free in eastus)");
    fits(t, 80);
    await t.send("PPage", "NPage", "NPage");
    await t.waitFor((s) => /lines (?!1-)\d+-\d+ of \d+/.test(s), "the next page of the review");
    expect(t.visible()).toContain(" Review 1 of 1: fraud-detector"); // the title stays
    await choose(t, "Rename");
    await t.waitFor((s) => s.includes("Go on with this plan"), "the review after the rename");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Start the migration of fraud-detector now?"), "the confirmation");
    expect(t.screen()).toContain("fraud-detector → fraud-detector-online-2/blue");
    await t.send("Enter");
    screen = await t.waitFor((s) => s.includes("Retire the old ACI service fraud-detector now?"), "the result", 90_000);
    expect(screen).toMatch(/Scoring URI\s+https:\/\/127\.0\.0\.1:\d+\/online\/eastus\/fraud-detector-online-2\/score/);
    await t.send("Enter"); // keep it
    expect(await t.exitCode()).toBe(0);
    expect(t.visible()).not.toContain("Enter done · Backspace erase");
    expect(sandbox.sb.world.endpoints.some((e) => e.name === "fraud-detector-online-2")).toBe(true);
  });

  it("120×40, NO_COLOR: the crashed deployment's cause is shown and another environment from the list fixes it", async () => {
    const { open, sandbox } = await setUp({ columns: 120, rows: 40 }, { NO_COLOR: "1" });
    const t = open("environment");
    await chooseServices(t, "broken");
    await t.waitFor((s) => s.includes("broken-env: what next?"), "the review");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Acknowledge missing-inference-server"), "the blocker");
    await choose(t, "Yes");
    await t.waitFor((s) => s.includes("Start the migration of broken-env now?"), "the confirmation");
    await t.send("Enter");
    const failed = await t.waitFor((s) => s.includes("What now for broken-env?"), "the question after the crash", 90_000);
    expect(failed).toContain("Azure code ResourceNotReady");
    expect(failed).toContain("Likely cause: The environment has no inference server");
    expect(t.colours()).not.toMatch(new RegExp(`${String.fromCharCode(27)}\\[(3\\d|9\\d)m`)); // NO_COLOR: no colour at all
    await choose(t, "Change the plan");
    await choose(t, "Environment");
    await t.waitFor((s) => /❯ sklearn-inference-env:4 +has the inference server/.test(s), "the environments");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Environment: sklearn-inference-env:4"), "the change");
    await t.send("Enter"); // apply
    await t.waitFor((s) => s.includes("Retire the old ACI service broken-env now?"), "the result", 90_000);
    await t.send("Enter");
    expect(await t.exitCode()).toBe(0);
    expect(sandbox.sb.world.deployments.filter((d) => d.endpoint === "broken-env-online").map((d) => d.properties.environmentId)).toEqual([
      expect.stringMatching(/sklearn-inference-env\/versions\/4$/),
    ]);
  });

  it("80×24, three services: the failing one and the header stay in view; a VM size change after the failure makes green; stop says how to resume once", async () => {
    const { open, sandbox } = await setUp({ columns: 80, rows: 24 });
    const t = open("three");
    await chooseServices(t, "broken", "churn-key", "iris");
    for (const name of ["broken-env", "churn-keyauth", "iris-noauth"]) {
      await t.waitFor((s) => s.includes(`${name}: what next?`), `the review of ${name}`);
      await t.send("Enter");
      if (name === "broken-env") {
        await t.waitFor((s) => s.includes("Acknowledge missing-inference-server"), "the blocker");
        await choose(t, "Yes");
      }
    }
    await t.waitFor((s) => s.includes("Start the migration of 3 services now?"), "the confirmation");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("What now for broken-env?"), "the question after the crash", 90_000);
    const screen = t.visible();
    expect(screen).toMatch(/deploying · session \d{8}-\d{6}-[0-9a-f]{4}/);
    expect(screen).toContain("Failed: Deployment blue failed");
    fits(t, 80);
    await choose(t, "Change the plan");
    await choose(t, "VM size");
    await t.waitFor((s) => s.includes("VM size for broken-env"), "the sizes");
    await t.send("Down", "Enter");
    await t.waitFor((s) => /VM size: Standard_\w+/.test(s), "the change");
    await t.send("Enter"); // apply
    await t.waitFor((s) => s.includes("Deployment green failed") && s.includes("What now for broken-env?"), "the second failure", 90_000);
    expect(
      sandbox.sb.world.deployments
        .filter((d) => d.endpoint === "broken-env-online")
        .map((d) => d.name)
        .sort(),
    ).toEqual(["blue", "green"]);
    await choose(t, "Stop");
    // The two that migrated are offered for retirement in one list; Enter with none ticked keeps both.
    await t.waitFor((s) => s.includes("Retire old ACI services now?") && s.includes("churn-keyauth → churn-keyauth-online"), "the retirement list", 60_000);
    await t.send("Enter");
    await t.waitFor((s) => /(churn-keyauth, iris-noauth|iris-noauth, churn-keyauth) stay; retire them later with/.test(s), "both kept");
    expect(await t.exitCode()).toBe(1);
    const all = t.screen();
    expect(all).toMatch(/✓ churn-keyauth → churn-keyauth-online\/blue/);
    expect(all).toMatch(/✓ iris-noauth → iris-noauth-online\/blue/);
    expect(all.match(/Continue\s+with:/g)).toHaveLength(1);
  });

  it("80×24: Ctrl+C mid-deployment asks, q leaves (130) with one resume line and no key bar left; pasted as printed, it resumes to the end", async () => {
    const { open, sandbox } = await setUp({ columns: 80, rows: 24 });
    const t = open("leave");
    await chooseServices(t, "sklearn");
    await t.waitFor((s) => s.includes("sklearn-1cpu-2gb: what next?"), "the review");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Start the migration of sklearn-1cpu-2gb now?"), "the confirmation");
    await t.send("Enter");
    await t.waitFor((s) => /deployment +\d+s +Creating/.test(s), "the deployment provisioning", 90_000);
    // The help over a run fits 80×24 whole: its title and every line are on screen, its own key said once.
    await t.send("?");
    const help = await t.waitFor((s) => s.includes("close help"), "the help");
    expect(help).toMatch(/│ Keys +│/);
    for (const line of ["Choosing several:", "Typing:", "While it runs:", "Leaving a run:"]) expect(help).toContain(line);
    expect(count(help, "close help")).toBe(1);
    fits(t, 80);
    await t.send("?");
    await t.waitFor((s) => !s.includes("close help") && /deployment +\d+s/.test(s), "the run again");
    await t.send("C-c");
    await t.waitFor((s) => s.includes("Leave now?"), "the question");
    await t.send("q");
    expect(await t.exitCode()).toBe(130);
    const all = t.screen();
    expect(all.match(/Continue\s+with:/g)).toHaveLength(1);
    expect(t.visible()).not.toContain("q leave now · w keep watching");
    expect(t.visible()).not.toContain("Ctrl+C leave");
    const printed = /Continue\s+with:\s+(aci-migrate --sandbox --state-dir \S+ resume \d{8}-\d{6}-[0-9a-f]{4})/.exec(all)![1]!;
    const again = open("resume", { pasted: printed });
    await again.waitFor((s) => s.includes("Retire the old ACI service sklearn-1cpu-2gb now?"), "the resumed run", 90_000);
    await again.send("Enter");
    expect(await again.exitCode()).toBe(0);
    expect(again.screen()).not.toContain("MaxListenersExceededWarning");
    expect(sandbox.sb.world.deployments.filter((d) => d.endpoint === "sklearn-1cpu-2gb-online")).toHaveLength(1);
  });

  it("120×40: a finished session is rolled back from the start question: what goes and what stays, then only its own resources go", async () => {
    const { open, sandbox } = await setUp({ columns: 120, rows: 40 });
    const migrated = await runBin(["--sandbox", "--state-dir", sandbox.stateDir, "migrate", "-w", "ml-prod-eastus", "--service", "iris-noauth", "--yes"]);
    expect(migrated.code, migrated.stderr).toBe(0);
    const t = open("rollback");
    await t.waitFor((s) => s.includes("Roll back a session (delete what it created in Azure)"), "the start question");
    await choose(t, "Roll back");
    await t.waitFor((s) => s.includes("Roll back which session?"), "the sessions");
    await t.send("Enter");
    const asked = await t.waitFor((s) => s.includes("Delete these 2 resources from Azure?"), "the confirmation");
    expect(asked).toContain("endpoint iris-noauth-online (with its deployment blue)");
    expect(asked).toMatch(/code iris-noauth-code:\w+ \(code version registered by this session\)/);
    expect(asked).toContain("The v1 services are not touched.");
    await choose(t, "Yes");
    await t.waitFor((s) => s.includes("is rolled back: what it created in Azure is gone"), "the rollback");
    expect(await t.exitCode()).toBe(0);
    expect(sandbox.sb.world.endpoints.some((e) => e.name === "iris-noauth-online")).toBe(false);
    expect(sandbox.sb.world.services.some((s) => s.name === "iris-noauth")).toBe(true);
  });

  it("100×30, NO_COLOR: a review with many findings fits, wraps and keeps its title; ? shows every key from the one table", async () => {
    const { open } = await setUp({ columns: 100, rows: 30 }, { NO_COLOR: "1" });
    const t = open("review-100");
    await chooseServices(t, "telemetry");
    await t.waitFor((s) => s.includes("telemetry-svc: what next?"), "the review");
    fits(t, 100);
    expect(t.visible()).toContain(" Review 1 of 1: telemetry-svc");
    expect(t.visible().trimEnd().split("\n").length).toBeLessThanOrEqual(30);
    expect(t.colours()).not.toMatch(new RegExp(`${String.fromCharCode(27)}\\[(3\\d|9\\d)m`));
    await t.send("?");
    const help = await t.waitFor((s) => s.includes("Keys"), "the help");
    expect(help).toContain("While it runs: l logs on/off · Tab other container · n next service · Ctrl+C leave");
    expect(help).toContain("Choosing: ↑↓ move · Enter choose · PgUp/PgDn scroll · Ctrl+O print all · Esc back · ? help");
    await t.send("?", "C-c");
    expect(await t.exitCode()).toBe(130);
  });
});
