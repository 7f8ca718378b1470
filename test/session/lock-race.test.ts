import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { repoPath } from "../helpers/fixtures.js";
import { writeSession } from "../helpers/session-files.js";

const TAKERS = 8;
const ROUNDS = 15;

/**
 * One taker: waits for the common start time, opens the session (taking its lock and its service's), says
 * whether it got it, holds it a while and dies without releasing, as a crashed run would. The built journal is
 * used (dist/), as the CLI uses it.
 */
const TAKER = `
const { SessionStore } = await import(${JSON.stringify(pathToFileURL(repoPath("dist/session/journal.js")).href)});
const [stateDir, id, startAt] = process.argv.slice(1);
const nap = Number(startAt) - Date.now() - 15;
if (nap > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, nap);
while (Date.now() < Number(startAt)) {}
let said = "busy";
try { new SessionStore(stateDir).open(id); said = "held"; } catch (e) { if (!/in use|being migrated/.test(e.message)) said = "error " + e.message; }
process.stdout.write(said);
setTimeout(() => process.exit(0), 400);
`;

function taker(stateDir: string, id: string, startAt: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", TAKER, stateDir, id, String(startAt)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", () => resolve(out));
  });
}

describe("the session lock under a race of takers", () => {
  const state = mkdtempSync(join(tmpdir(), "aci-migrate-lockrace-"));
  afterAll(() => rmSync(state, { recursive: true, force: true }));

  it(`${TAKERS} takers of a stale lock, ${ROUNDS} rounds: exactly one holder each round`, { timeout: 120_000 }, async () => {
    const session = writeSession(state);
    // Round 1 starts from a lock a crashed process left (a pid that no longer runs); each later round from the
    // locks the previous round's holder left when it died.
    writeFileSync(
      join(state, "sessions", `${session.id}.lock`),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import("node:os")).hostname(), at: new Date().toISOString(), token: "crashed" }),
    );
    const holders: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const startAt = Date.now() + 700; // every taker is started and spinning before the first one tries
      const said = await Promise.all(Array.from({ length: TAKERS }, () => taker(state, session.id, startAt)));
      expect(
        said.filter((s) => s.startsWith("error")),
        `round ${round}`,
      ).toEqual([]);
      holders.push(said.filter((s) => s === "held").length);
    }
    expect(holders).toEqual(Array(ROUNDS).fill(1));
  });
});
