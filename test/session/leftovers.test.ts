import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempFolder } from "../../src/fs/temp-folders.js";
import { SessionStore } from "../../src/session/journal.js";
import { takeLock } from "../../src/session/lock.js";
import { canMount, fillDisk, smallDisk } from "../helpers/disks.js";
import { runCliHere } from "../helpers/run-cli.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "aci-migrate-leftovers-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};
/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", "0"]).pid!;
const lockOf = (pid: number) => JSON.stringify({ pid, host: hostname(), at: new Date().toISOString(), token: "0123456789abcdef" });

describe("what a killed process leaves is swept at the next start", () => {
  it("a session lock with no session file (killed between lock and first save); a live one's and a saved session's stay", () => {
    const state = tempDir();
    const sessions = join(state, "sessions");
    mkdirSync(sessions, { recursive: true });
    writeFileSync(join(sessions, "20261207-000000-dead.lock"), lockOf(deadPid()));
    writeFileSync(join(sessions, "20261207-000000-live.lock"), lockOf(process.pid));
    writeFileSync(join(sessions, "20261207-000000-kept.lock"), lockOf(deadPid()));
    writeFileSync(join(sessions, "20261207-000000-kept.json"), "{}");
    new SessionStore(state).list();
    expect(readdirSync(sessions).sort()).toEqual(["20261207-000000-kept.json", "20261207-000000-kept.lock", "20261207-000000-live.lock"]);
  });

  it("a snapshot folder a dead process left in the temporary folder; a live process's stays", async () => {
    const dead = join(tmpdir(), `aci-migrate-snapshot-${deadPid()}-left`);
    const live = join(tmpdir(), `aci-migrate-snapshot-${process.ppid}-live`);
    for (const d of [dead, live]) mkdirSync(join(d, "out"), { recursive: true });
    cleanups.push(() => rmSync(live, { recursive: true, force: true }));
    const made = await makeTempFolder("aci-migrate-snapshot-");
    cleanups.push(() => rmSync(made, { recursive: true, force: true }));
    expect([existsSync(dead), existsSync(live), made.includes(`aci-migrate-snapshot-${process.pid}-`)]).toEqual([false, true, true]);
  });

  it.skipIf(!canMount)("a lock taken on a full disk leaves no empty temporary", () => {
    const disk = smallDisk({ kib: 16 });
    cleanups.push(() => disk.dispose());
    fillDisk(disk.dir);
    expect(() => takeLock(join(disk.dir, "x.lock"))).toThrow(/ENOSPC/);
    expect(readdirSync(disk.dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("a state folder others may write", () => {
  it("is named with the command that makes it private (not under --json)", async () => {
    const state = tempDir();
    chmodSync(state, 0o777);
    const r = await runCliHere(["--state-dir", state, "sessions"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Note: ${state} can be written by other users (mode 0777)`);
    expect(r.stderr).toContain(`\n  chmod 700 ${state}`);
    expect((await runCliHere(["--state-dir", state, "sessions", "--json"])).stderr).toBe("");
  });
});
