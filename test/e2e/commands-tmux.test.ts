import { mkdtemp } from "node:fs/promises";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { repoPath } from "../helpers/fixtures.js";
import { runBin } from "../helpers/run-bin.js";
import { TmuxTerminal } from "../helpers/tmux.js";

/** The commands' text in an 80-column terminal: laid out by the tool, so the terminal never splits a word. */
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
afterAll(() => TmuxTerminal.killServer());

const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe("a command's text at 80 columns", { timeout: 60_000 }, () => {
  it.each([
    ["plan", ["plan", "--service-json", repoPath("samples/service-sklearn-1cpu-2gb.json")]],
    ["skus", ["skus", "--cpu", "1", "--memory", "2"]],
  ])("%s: every word of what it prints stands whole on a row", async (_name, args) => {
    const workDir = await mkdtemp(join(tmpdir(), "aci-migrate-cmd-tmux-"));
    const t = new TmuxTerminal(`cmd-${_name}`, workDir, args, { columns: 80, rows: 50 });
    cleanups.push(
      () => t.kill(),
      () => rmSync(workDir, { recursive: true, force: true }),
    );
    expect(await t.exitCode()).toBe(0);
    const rows = t.rows();
    const onRows = new Set(rows.flatMap(words));
    // The same command piped (no terminal, nothing laid out) says what was printed; a word longer than a row (a
    // long URL, whole on its own line) is the terminal's to wrap.
    const piped = await runBin(args);
    const missing = words(piped.stdout).filter((w) => w.length <= 60 && !onRows.has(w));
    expect(missing).toEqual([]);
  });
});
