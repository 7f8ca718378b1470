import { mkdtemp } from "node:fs/promises";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startAttachedSandbox } from "../helpers/sandbox.js";
import { TmuxTerminal } from "../helpers/tmux.js";

/**
 * The terminal's whole history after the tour's migration, against what the session recorded: every finished
 * step's line is there, and every word of it stands on one row (the tool wraps, the terminal never breaks a word).
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => TmuxTerminal.killServer());

interface RecordedStep {
  readonly status: string;
  readonly detail?: string;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** The steps the session file recorded for its one service. */
function recordedSteps(stateDir: string): [string, RecordedStep][] {
  const folder = join(stateDir, "sessions");
  const file = readdirSync(folder).find((f) => f.endsWith(".json"))!;
  const session = JSON.parse(readFileSync(join(folder, file), "utf8")) as { services: { steps: Record<string, RecordedStep> }[] };
  return Object.entries(session.services[0]!.steps);
}

describe.each([
  { columns: 80, rows: 24 },
  { columns: 100, rows: 30 },
])("the tour's migration at $columns×$rows, its whole history", (size) => {
  it("holds every finished step's line, each word unbroken", { timeout: 180_000 }, async () => {
    const sandbox = await startAttachedSandbox({ speed: 150 });
    const workDir = await mkdtemp(join(tmpdir(), "aci-migrate-history-"));
    const t = new TmuxTerminal(`history-${size.columns}`, workDir, ["--sandbox", "--state-dir", sandbox.stateDir], size);
    cleanups.push(
      () => sandbox.stop(),
      () => rmSync(workDir, { recursive: true, force: true }),
      () => t.kill(),
    );
    await t.waitFor((s) => s.includes("Which subscription?"), "the subscriptions");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Which workspace?"), "the workspaces");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Which services of ml-prod-eastus"), "the services");
    await t.send("credit-2cpu");
    await t.waitFor((s) => s.includes("Filter: credit-2cpu▏"), "the filter");
    await t.send("Space", "Escape", "Enter");
    await t.waitFor((s) => s.includes("credit-2cpu-4gb: what next?"), "the review");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Start the migration of credit-2cpu-4gb now?"), "the confirmation");
    await t.send("Enter");
    await t.waitFor((s) => s.includes("Retire the old ACI service credit-2cpu-4gb now?"), "the result", 120_000);
    await t.send("Enter");
    expect(await t.exitCode()).toBe(0);

    const rows = t.rows();
    const steps = recordedSteps(sandbox.stateDir);
    expect(steps.map(([name]) => name)).toContain("traffic");
    for (const [name, step] of steps) {
      // The step's line and the rows hanging under it, read back as words: a word the terminal split reads as two.
      const at = rows.findIndex((r) => r.includes(`credit-2cpu-4gb · ${name}: `));
      expect(at, `the ${name} line is in the history`).toBeGreaterThanOrEqual(0);
      const hanging = rows.slice(at + 1).findIndex((r) => !r.startsWith("  ") || r.trim() === "");
      const printed = rows.slice(at, at + 1 + (hanging < 0 ? 0 : hanging)).join(" ");
      expect(words(printed.slice(printed.indexOf(`${name}: `) + name.length + 2))).toEqual(words(step.detail ?? ""));
    }
    // What was chosen stays above once its question has gone.
    expect(t.screen()).toMatch(/^Subscription: Contoso ML Production \([0-9a-f-]{36}\)$/m);
    expect(t.screen()).toMatch(/^Workspace: ml-prod-eastus \(rg-ml-prod, eastus\)$/m);
    // The banner's prose wraps at a space too: each of its words is a whole word of some row.
    for (const word of ["SANDBOX", "embedded", "nothing", "here", "touches", "real", "Azure)"])
      expect(
        rows.some((r) => words(r).includes(word)),
        word,
      ).toBe(true);
  });
});
