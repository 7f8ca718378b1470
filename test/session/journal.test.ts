import { spawn } from "node:child_process";
import { readFileSync, rmSync, statSync, writeFileSync, readdirSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserFixableError } from "../../src/domain/errors.js";
import { buildPlan } from "../../src/domain/plan.js";
import { JOURNAL_WRITE_MS, SessionStore } from "../../src/session/journal.js";
import { pathToFileURL } from "node:url";
import { repoPath } from "../helpers/fixtures.js";
import { newStepRecords, SESSION_SCHEMA_VERSION } from "../../src/session/session-file.js";
import { defaultStateDir } from "../../src/session/state-dir.js";
import { runCliHere } from "../helpers/run-cli.js";
import { quietService } from "../helpers/service.js";

const target = { kind: "sandbox" as const, armEndpoint: "https://127.0.0.1:1", subscriptionId: "s", resourceGroup: "rg", workspace: "ws", location: "eastus" };
const init = () => ({
  status: "running" as const,
  target,
  services: [{ name: "quiet-svc", overrides: {}, plan: buildPlan(quietService()), steps: newStepRecords(), resources: {} }],
});
const tmp = () => mkdtemp(join(tmpdir(), "aci-migrate-sessions-"));

describe("state directory", () => {
  it.each([
    [{ ACI_MIGRATE_STATE_DIR: "/x" }, "linux", "/x"],
    [{ XDG_STATE_HOME: "/xdg" }, "linux", "/xdg/aci-migrate"],
    [{}, "linux", "/home/u/.local/state/aci-migrate"],
    [{ LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local" }, "win32", join("C:\\Users\\u\\AppData\\Local", "aci-migrate")],
  ] as const)("%j on %s → %s", (env, platform, dir) => {
    expect(defaultStateDir(env as NodeJS.ProcessEnv, platform, "/home/u")).toBe(dir);
  });
});

describe("the session journal", () => {
  it("writes a 0600 JSON file with a schemaVersion, atomically, and reads it back", async () => {
    const dir = await tmp();
    const store = new SessionStore(dir);
    const s = store.create(init());
    s.update((d) => (d.services[0]!.steps.preflight.status = "done"));
    const file = store.fileOf(s.data.id);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const onDisk = JSON.parse(readFileSync(file, "utf8"));
    expect(onDisk.schemaVersion).toBe(SESSION_SCHEMA_VERSION);
    expect(onDisk.services[0].steps.preflight.status).toBe("done");
    expect(readdirSync(join(dir, "sessions")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    s.release();
    const again = store.open(s.data.id);
    expect(again.data.services[0]!.steps.preflight.status).toBe("done");
    again.release();
  });

  it("refuses to write a registered secret, and writes nothing", async () => {
    const dir = await tmp();
    const store = new SessionStore(dir, () => ["v1-primary-key-value"]);
    const s = store.create(init());
    const before = readFileSync(store.fileOf(s.data.id), "utf8");
    expect(() => s.update((d) => (d.services[0]!.resources.scoringUri = "https://x/score?key=v1-primary-key-value"))).toThrow(/secret/);
    expect(readFileSync(store.fileOf(s.data.id), "utf8")).toBe(before);
  });

  it("note() journals a burst of changes as one write, within JOURNAL_WRITE_MS; flush() and release() write what is pending", async () => {
    const dir = await tmp();
    const store = new SessionStore(dir);
    const s = store.create(init());
    const file = store.fileOf(s.data.id);
    const inode = () => statSync(file).ino; // each write renames a new file over the old one
    const written = inode();
    const exitHooks = process.listenerCount("exit");
    for (let i = 1; i <= 50; i++) s.note((d) => (d.services[0]!.steps.code.attempts = i));
    expect(process.listenerCount("exit")).toBe(exitHooks + 1); // what is noted is written if the process exits first
    expect(inode()).toBe(written); // nothing written yet: the run goes on
    await new Promise((r) => setTimeout(r, JOURNAL_WRITE_MS + 50));
    expect(inode()).not.toBe(written);
    expect(JSON.parse(readFileSync(file, "utf8")).services[0].steps.code.attempts).toBe(50);
    expect(process.listenerCount("exit")).toBe(exitHooks); // nothing left to write: no hook stays behind
    const once = inode();
    await new Promise((r) => setTimeout(r, JOURNAL_WRITE_MS + 50));
    expect(inode()).toBe(once); // one write for the burst, none while nothing changes
    s.note((d) => (d.services[0]!.steps.code.attempts = 51));
    s.flush();
    expect(JSON.parse(readFileSync(file, "utf8")).services[0].steps.code.attempts).toBe(51);
    s.note((d) => (d.services[0]!.steps.code.attempts = 52));
    s.release();
    expect(JSON.parse(readFileSync(file, "utf8")).services[0].steps.code.attempts).toBe(52);
    rmSync(dir, { recursive: true, force: true });
  });

  it("a noted change holding a secret is refused when written: nothing is written, and the next journal call throws", async () => {
    const dir = await tmp();
    const store = new SessionStore(dir, () => ["v1-primary-key-value"]);
    const s = store.create(init());
    const before = readFileSync(store.fileOf(s.data.id), "utf8");
    s.note((d) => (d.services[0]!.resources.scoringUri = "https://x/score?key=v1-primary-key-value"));
    await new Promise((r) => setTimeout(r, JOURNAL_WRITE_MS + 50)); // the timed write refuses it without crashing
    expect(readFileSync(store.fileOf(s.data.id), "utf8")).toBe(before);
    expect(() => s.note((d) => (d.services[0]!.steps.code.attempts = 1))).toThrow(/secret/); // (and applies nothing)
    s.note((d) => {
      delete d.services[0]!.resources.scoringUri;
      d.services[0]!.steps.code.attempts = 1;
    });
    s.release();
    expect(JSON.parse(readFileSync(store.fileOf(s.data.id), "utf8")).services[0].steps.code.attempts).toBe(1);
    rmSync(dir, { recursive: true, force: true });
  });

  it("a process that exits with changes noted and not yet written writes them as it exits", async () => {
    const dir = await tmp();
    const store = new SessionStore(dir);
    const s = store.create(init());
    s.release();
    const journal = pathToFileURL(repoPath("dist/session/journal.js")).href; // built by the global setup
    const script = `const { SessionStore } = await import(${JSON.stringify(journal)});
      const s = new SessionStore(${JSON.stringify(dir)}).open(${JSON.stringify(s.data.id)});
      s.note((d) => (d.status = "failed"));
      process.exit(3);`;
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "ignore" });
      child.on("exit", resolve);
    });
    expect(code).toBe(3);
    expect(JSON.parse(readFileSync(store.fileOf(s.data.id), "utf8")).status).toBe("failed");
    rmSync(dir, { recursive: true, force: true });
  });

  it("locks a session: a second open in another process is refused; a dead holder's lock is taken over", async () => {
    const dir = await tmp();
    const store = new SessionStore(dir);
    const s = store.create(init());
    expect(() => store.open(s.data.id)).toThrow(UserFixableError); // this process holds it
    try {
      store.open(s.data.id);
    } catch (e) {
      expect((e as UserFixableError).message).toMatch(/in use by another aci-migrate \(pid \d+/);
      expect((e as UserFixableError).details.nextStep).toContain(`aci-migrate resume ${s.data.id}`);
    }
    // A lock left by a process that no longer exists.
    s.release();
    const child = spawn(process.execPath, ["-e", "process.exit(0)"]);
    const deadPid = await new Promise<number>((r) => child.on("exit", () => r(child.pid!)));
    writeFileSync(join(dir, "sessions", `${s.data.id}.lock`), JSON.stringify({ pid: deadPid, host: (await import("node:os")).hostname(), at: "then" }));
    const taken = store.open(s.data.id);
    expect(taken.data.id).toBe(s.data.id);
    taken.release();
  });

  it("a running session whose process is gone is interrupted (the list, sessions --json); one held by a live process is running", async () => {
    const dir = await tmp();
    const store = new SessionStore(dir);
    const s = store.create(init());
    const summary = () => store.list().find((x) => x.id === s.data.id)!;
    expect(store.activity(summary())).toBe("running"); // this process holds it
    s.release();
    expect(store.activity(summary())).toBe("interrupted"); // nobody runs it: the file still says running
    const child = spawn(process.execPath, ["-e", "process.exit(0)"]);
    const deadPid = await new Promise<number>((r) => child.on("exit", () => r(child.pid!)));
    writeFileSync(
      join(dir, "sessions", `${s.data.id}.lock`),
      JSON.stringify({ pid: deadPid, host: (await import("node:os")).hostname(), at: "then", token: "t" }),
    );
    expect(store.activity(summary())).toBe("interrupted"); // killed while holding it
    const cli = await runCliHere(["--state-dir", dir, "sessions", "--json"]);
    expect(JSON.parse(cli.stdout).sessions[0]).toMatchObject({ id: s.data.id, status: "interrupted" });
    expect((await runCliHere(["--state-dir", dir, "sessions"])).stdout).toMatch(new RegExp(`${s.data.id} +interrupted`));
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports an unreadable or newer file and leaves it untouched; list shows it with its problem", async () => {
    const dir = await tmp();
    const store = new SessionStore(dir);
    const good = store.create(init());
    good.release();
    const corrupt = join(dir, "sessions", "20260101-000000-dead.json");
    writeFileSync(corrupt, "{ half a json");
    const newer = join(dir, "sessions", "20260101-000000-beef.json");
    writeFileSync(newer, JSON.stringify({ schemaVersion: SESSION_SCHEMA_VERSION + 1, id: "x" }));
    expect(() => store.open("20260101-000000-dead")).toThrow(/cannot be read/);
    expect(() => store.open("20260101-000000-beef")).toThrow(/written by a newer aci-migrate/);
    expect(readFileSync(corrupt, "utf8")).toBe("{ half a json");
    const listed = store.list();
    expect(listed.map((x) => x.id)).toContain(good.data.id);
    expect(listed.find((x) => x.id === "20260101-000000-dead")?.problem).toMatch(/cannot be read/);
    expect(listed.find((x) => x.id === "20260101-000000-beef")?.problem).toMatch(/newer/);
  });

  it("names a missing session with the way to list them", async () => {
    const store = new SessionStore(await tmp());
    expect(() => store.open("20260101-000000-beef")).toThrow(/There is no session 20260101-000000-beef/);
  });
});
