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

/** The steps the session file recorded, by service. */
function recordedSteps(stateDir: string): [string, [string, RecordedStep][]][] {
  const folder = join(stateDir, "sessions");
  const file = readdirSync(folder).find((f) => f.endsWith(".json"))!;
  const session = JSON.parse(readFileSync(join(folder, file), "utf8")) as { services: { name: string; steps: Record<string, RecordedStep> }[] };
  return session.services.map((svc) => [svc.name, Object.entries(svc.steps)]);
}

/** A journey through the wizard, from the first question to the exit. */
interface Journey {
  readonly name: string;
  readonly services: readonly string[];
  drive(t: TmuxTerminal): Promise<void>;
}

async function pickWorkspace(t: TmuxTerminal, downs: number): Promise<void> {
  await t.waitFor((s) => s.includes("Which subscription?"), "the subscriptions");
  await t.send("Enter");
  await t.waitFor((s) => s.includes("Which workspace?"), "the workspaces");
  await t.send(...Array<string>(downs).fill("Down"), "Enter");
}

/** Each review gone on with, the migration started, and the old services kept at the end. */
async function goOn(t: TmuxTerminal, services: readonly string[]): Promise<void> {
  for (const name of services) {
    await t.waitFor((s) => s.includes(`${name}: what next?`), `the review of ${name}`);
    await t.send("Enter");
  }
  await t.waitFor((s) => s.includes(`Start the migration of ${services.length === 1 ? services[0] : `${services.length} services`} now?`), "the confirmation");
  await t.send("Enter");
  // One service is confirmed by its name (Enter keeps it); several are offered in one list (Enter with none ticked keeps them).
  const one = services.length === 1;
  await t.waitFor((s) => s.includes(one ? "Retire the old ACI service" : "Retire old ACI services now?"), "the retire question", 180_000);
  await t.send("Enter");
  await t.waitFor((s) => s.includes(one ? "stays; retire it later with:" : "stay; retire them later with:"), "the services kept");
}

const TOUR: Journey = {
  name: "the tour's migration",
  services: ["credit-2cpu-4gb"],
  drive: async (t) => {
    await pickWorkspace(t, 0);
    await t.waitFor((s) => s.includes("Which services of ml-prod-eastus"), "the services");
    await t.send("credit-2cpu");
    await t.waitFor((s) => s.includes("Filter: credit-2cpu▏"), "the filter");
    await t.send("Space", "Escape", "Enter");
    await goOn(t, TOUR.services);
  },
};

const SIX = Array.from({ length: 6 }, (_, i) => `batch-scorer-0${i + 1}`);
const SIX_SERVICES: Journey = {
  name: "a six-service run",
  services: SIX,
  drive: async (t) => {
    await pickWorkspace(t, 1);
    await t.waitFor((s) => s.includes("Which services of ml-batch-eastus"), "the services");
    await t.send("batch-scorer-0");
    await t.waitFor((s) => s.includes("Filter: batch-scorer-0▏"), "the filter");
    for (let i = 0; i < SIX.length; i++) await t.send(...(i ? ["Down"] : []), "Space");
    await t.waitFor((s) => (s.match(/\[x\] batch-scorer-0/g) ?? []).length === SIX.length, "six chosen");
    await t.send("Enter");
    await goOn(t, SIX);
  },
};

describe.each([
  { columns: 80, rows: 24, journey: TOUR },
  { columns: 100, rows: 30, journey: TOUR },
  { columns: 80, rows: 24, journey: SIX_SERVICES },
  { columns: 100, rows: 30, journey: SIX_SERVICES },
])("$journey.name at $columns×$rows, its whole history", ({ journey, ...size }) => {
  it("holds every finished step's line, each word unbroken", { timeout: 300_000 }, async () => {
    const sandbox = await startAttachedSandbox({ speed: 150 });
    const workDir = await mkdtemp(join(tmpdir(), "aci-migrate-history-"));
    const t = new TmuxTerminal(`history-${size.columns}-${journey.services.length}`, workDir, ["--sandbox", "--state-dir", sandbox.stateDir], size);
    cleanups.push(
      () => sandbox.stop(),
      () => rmSync(workDir, { recursive: true, force: true }),
      () => t.kill(),
    );
    await journey.drive(t);
    expect(await t.exitCode()).toBe(0);

    const rows = t.rows();
    const recorded = recordedSteps(sandbox.stateDir);
    expect(recorded.map(([name]) => name)).toEqual(journey.services);
    for (const [service, steps] of recorded) {
      expect(steps.map(([name]) => name)).toContain("traffic");
      for (const [name, step] of steps) {
        // The step's line and the rows hanging under it, read back as words: a word the terminal split reads as two.
        const at = rows.findIndex((r) => r.includes(`${service} · ${name}: `));
        expect(at, `${service}'s ${name} line is in the history`).toBeGreaterThanOrEqual(0);
        const hanging = rows.slice(at + 1).findIndex((r) => !r.startsWith("  ") || r.trim() === "");
        const printed = rows.slice(at, at + 1 + (hanging < 0 ? 0 : hanging)).join(" ");
        expect(words(printed.slice(printed.indexOf(`${name}: `) + name.length + 2))).toEqual(words(step.detail ?? ""));
      }
    }
    // What was chosen stays above once its question has gone.
    expect(t.screen()).toMatch(/^Subscription: Contoso ML Production \([0-9a-f-]{36}\)$/m);
    expect(t.screen()).toMatch(/^Workspace: ml-\w+-eastus \(rg-ml-prod, eastus\)$/m);
    // The banner's prose wraps at a space too: each of its words is a whole word of some row.
    for (const word of ["SANDBOX", "embedded", "nothing", "here", "touches", "real", "Azure)"])
      expect(
        rows.some((r) => words(r).includes(word)),
        word,
      ).toBe(true);
  });
});
