import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SessionStore } from "../../src/session/journal.js";
import type { SessionFile } from "../../src/session/session-file.js";
import { canMount, fillDisk, smallDisk } from "../helpers/disks.js";
import { looksLikeBug, runCliHere } from "../helpers/run-cli.js";
import { writeSession } from "../helpers/session-files.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "aci-migrate-safety-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
/** A pid that certainly ran on this machine and is gone. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "0"]).pid!;
}

describe("session ids name sessions, never paths", () => {
  it("forget, show and resume refuse ids that are not the tool's (exit 2) and touch nothing", async () => {
    const root = tempDir();
    const state = join(root, "state");
    mkdirSync(join(state, "sessions"), { recursive: true });
    writeFileSync(join(state, "sandbox-world.json"), "{}");
    writeFileSync(join(root, "x.json"), '{"keep": true}');
    for (const argv of [
      ["sessions", "forget", "../sandbox-world"],
      ["sessions", "forget", "../../x"],
      ["sessions", "show", "../../x"],
      ["sessions", "show", "/etc/passwd"],
      ["resume", "../sandbox-world", "--yes"],
      ["sessions", "forget", "20261127-101500-ab12/../../x"],
    ]) {
      const r = await runCliHere(["--state-dir", state, ...argv]);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/is not a session id[\s\S]*Next: List the sessions/);
      expect(r.stdout).toBe("");
    }
    expect(readFileSync(join(state, "sandbox-world.json"), "utf8")).toBe("{}");
    expect(readFileSync(join(root, "x.json"), "utf8")).toBe('{"keep": true}');
  });

  it("a real id still works", async () => {
    const state = tempDir();
    const s = writeSession(state);
    const shown = await runCliHere(["--state-dir", state, "sessions", "show", s.id, "--json"]);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout).session.id).toBe(s.id);
    expect((await runCliHere(["--state-dir", state, "sessions", "forget", s.id])).code).toBe(0);
    expect(existsSync(join(state, "sessions", `${s.id}.json`))).toBe(false);
  });
});

describe("damaged and foreign session files: one message each, the others still listed", () => {
  const badId = "20200101-000000-dead";
  // Each: what it is, its text (from a good session written beside it), and what the message says.
  const bad: [string, (good: SessionFile) => string, RegExp][] = [
    ["null", () => "null", /is not an aci-migrate session file \(it holds null\)/],
    ["a list", () => "[]", /is not an aci-migrate session file \(it holds a list\)/],
    ["an object of something else", () => '{"hello": 1}', /is not an aci-migrate session file/],
    ["missing fields", () => '{"schemaVersion": 1, "id": "x"}', /cannot be read: createdAt, updatedAt, status and \d+ more missing/],
    ["truncated JSON", () => '{"schemaVersion": 1, "id": "', /cannot be read: .*JSON/],
    [
      "a service listed twice",
      (good) => JSON.stringify({ ...good, id: badId, services: [good.services[0], good.services[0]] }),
      /cannot be read: it lists service sklearn-aci-svc twice/,
    ],
    ["an id that is not its file's name", (good) => JSON.stringify(good), new RegExp(`cannot be read: its id is .*, but its file is named ${badId}\\.json`)],
  ];
  for (const [what, textOf, message] of bad) {
    it(`${what}: sessions marks it and exits 1; show and resume exit 1 and leave no lock`, async () => {
      const state = tempDir();
      const good = writeSession(state);
      const text = textOf(good);
      writeFileSync(join(state, "sessions", `${badId}.json`), text);

      const list = await runCliHere(["--state-dir", state, "sessions"]);
      expect(list.code).toBe(1);
      expect(list.stdout).toContain(good.id);
      expect(list.stdout).toMatch(new RegExp(`${badId}\\s+unreadable`));
      expect(list.stderr).toMatch(/1 session file is unreadable[\s\S]*Next: Move it out of/);

      const listJson = await runCliHere(["--state-dir", state, "sessions", "--json"]);
      expect(listJson.code).toBe(1);
      expect(JSON.parse(listJson.stdout).sessions.map((s: { id: string }) => s.id)).toEqual([good.id, badId]);
      expect(JSON.parse(listJson.stderr).error.code).toBe("user-fixable");

      for (const argv of [
        ["sessions", "show", badId],
        ["resume", badId, "--yes"],
      ]) {
        const r = await runCliHere(["--state-dir", state, ...argv]);
        expect(r.code, argv.join(" ")).toBe(1);
        expect(r.stderr).toMatch(message);
        expect(looksLikeBug(r.stderr)).toBe(false);
      }
      expect(readdirSync(join(state, "sessions")).filter((f) => f.endsWith(".lock"))).toEqual([]);
      expect(readFileSync(join(state, "sessions", `${badId}.json`), "utf8")).toBe(text); // left as it was
      expect(readdirSync(join(state, "sessions")).filter((f) => f.endsWith(".json"))).toHaveLength(2); // and no other written
    });
  }
});

describe("temporary files", () => {
  it("the journal sweeps the temporaries of dead processes and keeps a live one's", async () => {
    const state = tempDir();
    const s = writeSession(state);
    const dir = join(state, "sessions");
    const dead = join(dir, `${s.id}.json.${deadPid()}.a1b2c3.tmp`);
    const live = join(dir, `${s.id}.json.${process.pid}.d4e5f6.tmp`);
    writeFileSync(dead, "{half");
    writeFileSync(live, "{half");
    new SessionStore(state).list();
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  it.skipIf(!canMount)("a full disk: the session file keeps its last whole state, no temporary is left, and the message says so", async () => {
    const disk = smallDisk({ kib: 48 });
    cleanups.push(() => disk.dispose());
    const s = writeSession(disk.dir);
    const open = new SessionStore(disk.dir).open(s.id);
    const before = readFileSync(join(disk.dir, "sessions", `${s.id}.json`), "utf8");
    fillDisk(disk.dir);
    let thrown: unknown;
    try {
      open.update((d) => (d.services[0]!.steps.code.detail = "x".repeat(64 * 1024)));
    } catch (e) {
      thrown = e;
    } finally {
      open.release();
    }
    expect((thrown as NodeJS.ErrnoException).code).toBe("ENOSPC");
    expect(readFileSync(join(disk.dir, "sessions", `${s.id}.json`), "utf8")).toBe(before);
    expect(readdirSync(join(disk.dir, "sessions")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const { renderError } = await import("../../src/journey/text/error-text.js");
    const rendered = renderError(thrown, false);
    expect(rendered.exitCode).toBe(1);
    expect(rendered.text).toMatch(/The disk is full[\s\S]*Why: {2}Files are written whole or not at all[\s\S]*Next: Free some space/);
  });

  it.skipIf(!canMount)("plan --out on a full disk leaves no 0-byte YAML", async () => {
    const disk = smallDisk({ kib: 16 });
    cleanups.push(() => disk.dispose());
    mkdirSync(join(disk.dir, "out"));
    fillDisk(disk.dir);
    const r = await runCliHere([
      "plan",
      "--service-json",
      "samples/service-sklearn-1cpu-2gb.json",
      "--code-dir",
      "samples/v1-cli-json/src",
      "--out",
      join(disk.dir, "out"),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/The disk is full/);
    expect(looksLikeBug(r.stderr)).toBe(false);
    const out = join(disk.dir, "out");
    for (const f of existsSync(out) ? readdirSync(out, { recursive: true, encoding: "utf8" }) : []) {
      if (statSync(join(out, f)).isFile()) expect(readFileSync(join(out, f)).length, f).toBeGreaterThan(0);
    }
    expect(existsSync(out) ? readdirSync(out).filter((f) => f.endsWith(".tmp")) : []).toEqual([]);
  });
});

describe("state directories that cannot be used", () => {
  it("a state dir that is a file", async () => {
    const root = tempDir();
    const file = join(root, "state");
    writeFileSync(file, "not a folder");
    const r = await runCliHere(["--sandbox", "--state-dir", file, "migrate", "-w", "ml-prod-eastus", "--service", "credit-2cpu-4gb", "--yes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/A file stands where a folder is needed[\s\S]*Next: Point --state-dir at a folder/);
    expect(readFileSync(file, "utf8")).toBe("not a folder");
  });

  it.skipIf(!canMount)("a read-only state dir", async () => {
    const disk = smallDisk({ kib: 64, readOnly: true });
    cleanups.push(() => disk.dispose());
    const r = await runCliHere(["--sandbox", "--state-dir", disk.dir, "migrate", "-w", "ml-prod-eastus", "--service", "credit-2cpu-4gb", "--yes", "--json"]);
    expect(r.code).toBe(1);
    const error = JSON.parse(r.stderr).error;
    expect(error).toMatchObject({ code: "user-fixable", message: expect.stringMatching(/read-only file system/), next: expect.stringMatching(/--state-dir/) });
  });

  it.skipIf(!canMount)("a state dir that does not exist yet, under a read-only mount: one message for each command", async () => {
    const disk = smallDisk({ kib: 64, readOnly: true });
    cleanups.push(() => disk.dispose());
    const state = join(disk.dir, "not-yet", "state");
    for (const args of [
      ["--sandbox", "migrate", "-w", "ml-prod-eastus", "--service", "credit-2cpu-4gb", "--yes"],
      ["--sandbox", "services", "-w", "ml-prod-eastus"],
      ["sandbox", "--port", "0"],
    ]) {
      const r = await runCliHere(["--state-dir", state, ...args]);
      expect(r.code, args.join(" ")).toBe(1);
      expect(looksLikeBug(r.stderr), r.stderr).toBe(false);
      expect(r.stderr).toMatch(new RegExp(`${disk.dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is on a read-only file system`));
      expect(r.stderr).toMatch(/Next: Choose a writable folder with --state-dir/);
    }
  });

  it.skipIf(!canMount)("plan --out under a read-only mount says read-only about --out (not ENOENT)", async () => {
    const disk = smallDisk({ kib: 64, readOnly: true });
    cleanups.push(() => disk.dispose());
    const code = mkdtempSync(join(tmpdir(), "aci-migrate-rocode-"));
    cleanups.push(() => rmSync(code, { recursive: true, force: true }));
    writeFileSync(join(code, "score.py"), "def init():\n    pass\n\ndef run(raw):\n    return raw\n");
    const r = await runCliHere(["plan", "--service-json", "samples/service-sklearn-1cpu-2gb.json", "--code-dir", code, "--out", join(disk.dir, "export")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Cannot write the export into .*export: .* is on a read-only file system\./);
    expect(r.stderr).toMatch(/Next: Choose a folder you can write to with --out\./);
    expect(r.stderr).not.toContain("ENOENT");
  });

  it.skipIf(!canMount)("a sessions folder on a full disk", async () => {
    const disk = smallDisk({ kib: 24 });
    cleanups.push(() => disk.dispose());
    fillDisk(disk.dir);
    const r = await runCliHere(["--sandbox", "--state-dir", disk.dir, "migrate", "-w", "ml-prod-eastus", "--service", "credit-2cpu-4gb", "--yes"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/The disk is full/);
    expect(looksLikeBug(r.stderr)).toBe(false);
  });
});
