import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoPath } from "../helpers/fixtures.js";
import { useAttachedSandbox } from "../helpers/sandbox.js";
import { TmuxTerminal } from "../helpers/tmux.js";

// The built binary in tmux against a sandbox it attaches to: what a user at a terminal sees and does.
const sandbox = useAttachedSandbox({ speed: 150 });
let workDir = "";
const terminals: TmuxTerminal[] = [];
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "aci-migrate-tmux-"));
});
afterAll(() => {
  for (const t of terminals) t.kill();
  TmuxTerminal.killServer();
});

function wizard(name: string, ...args: string[]): TmuxTerminal {
  const t = new TmuxTerminal(name, workDir, ["--sandbox", "--state-dir", sandbox.stateDir, ...args]);
  terminals.push(t);
  return t;
}

/** The wizard's frame on a captured screen: from its title line to its key line, right-trimmed. */
function frameLines(screen: string): string[] {
  const lines = screen.split("\n").map((l) => l.trimEnd());
  const from = lines.findIndex((l) => l.startsWith("aci-migrate · "));
  const to = lines.findIndex((l, i) => i > from && / · \? help$/.test(l));
  return lines.slice(from, to + 1);
}

/** The text block README.md keeps under `<!-- name: … -->`. */
function readmeScreen(name: string): string[] {
  const readme = readFileSync(repoPath("README.md"), "utf8");
  const marker = readme.indexOf(`<!-- ${name}:`);
  expect(marker, `README.md has no ${name} block`).toBeGreaterThan(-1);
  const open = readme.indexOf("```text\n", marker) + "```text\n".length;
  return readme.slice(open, readme.indexOf("\n```", open)).split("\n").map((l) => l.trimEnd());
}

/** From the start screen to the review of the first service matching `filter`. */
async function toReview(t: TmuxTerminal, filter: string): Promise<void> {
  await t.waitFor((s) => s.includes("Start a new migration"), "the start screen");
  await t.send(...Array(6).fill("Down"), "Enter");
  await t.waitFor((s) => s.includes("Contoso ML Production"), "subscriptions");
  await t.send("Enter");
  await t.waitFor((s) => s.includes("ml-prod-eastus"), "workspaces");
  await t.send("Enter");
  await t.waitFor((s) => s.includes("credit-2cpu-4gb"), "services");
  await t.send(filter, "Space", "Enter");
  await t.waitFor((s) => s.includes("aci-migrate · review"), "review");
}

describe("the wizard in a real terminal (tmux)", { timeout: 120_000 }, () => {
  it("select a service, override the SKU, deploy to Succeeded, see the scoring URI", async () => {
    const t = wizard("deploy");
    await toReview(t, "credit");
    await t.waitFor((s) => s.includes("100 free in eastus"), "the quota on the review");
    expect(t.visible()).toContain("Standard_DS2_v2");
    // README shows this very screen; keep it true.
    expect(frameLines(t.visible())).toEqual(readmeScreen("review-screen"));
    await t.send("e", "Down", "Enter");
    await t.waitFor((s) => s.includes("fits quota"), "the SKU picker");
    await t.send("Up", "Enter"); // one row above the suggested DS2_v2: a cheaper 2-vCPU size
    const form = await t.waitFor((s) => s.includes("Plan now:"), "the form");
    const chosen = /VM size {8}(Standard_\w+)/.exec(form)![1]!;
    expect(chosen).not.toBe("Standard_DS2_v2");
    await t.send("Escape", "Enter");
    await t.waitFor((s) => s.includes("aci-migrate · confirm"), "confirm");
    await t.send("Enter");
    const done = await t.waitFor((s) => s.includes("aci-migrate · done"), "done", 60_000);
    expect(done).toMatch(/Scoring URI {2}https:\/\/127\.0\.0\.1:\d+\/online\/eastus\/credit-2cpu-4gb-online\/score/);
    expect(done).toContain("Smoke test   passed");
    await t.send("q");
    expect(await t.exitCode()).toBe(0);
    const d = sandbox.sb.world.deployments.find((x) => x.endpoint === "credit-2cpu-4gb-online")!;
    expect(d.properties.instanceType).toBe(chosen);
  });

  it("the service without an inference server fails and the remedy is shown", async () => {
    const t = wizard("broken");
    await toReview(t, "broken");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Blockers to acknowledge (1 left)"), "the blocker");
    await t.send("Space", "Enter");
    const failed = await t.waitFor((s) => s.includes("Remedy:"), "the failure", 60_000);
    expect(failed).toContain("Azure code ResourceNotReady");
    expect(failed).toContain("Remedy: Add azureml-inference-server-http");
    await t.send("q");
    await t.waitFor((s) => s.includes("Stopped; nothing is lost"), "the stop");
    await t.send("q");
    expect(await t.exitCode()).toBe(1);
  });

  it("Ctrl+C mid-deployment leaves (exit 130, with the hint) and resume finishes it", async () => {
    const t = wizard("leave");
    await toReview(t, "churn");
    await t.send("Enter", "Enter");
    await t.waitFor((s) => /deployment +\d+s +Creating/.test(s), "the deployment provisioning", 60_000);
    await t.send("C-c");
    await t.waitFor((s) => s.includes("Leave now?"), "the question");
    await t.send("q");
    expect(await t.exitCode()).toBe(130);
    const hint = /aci-migrate resume (\d{8}-\d{6}-[0-9a-f]{4})/.exec(t.screen());
    expect(hint).not.toBeNull();

    const r = wizard("resume", "resume", hint![1]!);
    const done = await r.waitFor((s) => s.includes("aci-migrate · done"), "done after resume", 60_000);
    expect(done).toContain("✓ churn-keyauth → churn-keyauth-online/blue");
    await r.send("q");
    expect(await r.exitCode()).toBe(0);
    expect(sandbox.sb.world.deployments.filter((x) => x.endpoint === "churn-keyauth-online")).toHaveLength(1);
  });
});
