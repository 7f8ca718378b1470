import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { sweepTemporaries, writeAtomically } from "../fs/atomic-write.js";
import { hostname } from "node:os";
import { basename, join } from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { UserFixableError } from "../domain/errors.js";
import { printable } from "../domain/printable.js";
import { lockState, takeLock, type HeldLock } from "./lock.js";
import { appendContainerLog } from "./container-logs.js";
import { writeKitFiles } from "./callers-kit-dir.js";
import { SESSION_SCHEMA_VERSION, STEP_NAMES, upgradeSession, type SessionFile } from "./session-file.js";
import { makeFolder } from "../fs/make-folder.js";

const SESSIONS = "sessions";
const LOCKS = "locks";

/** The ids this tool makes (`yyyymmdd-hhmmss-xxxx`); nothing else names a session, so no id can leave the folder. */
export const SESSION_ID = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

/** A secret value (a v1 key, a token) that must never be written: the journal refuses any write containing one. */
export type SecretSource = () => readonly string[];

export interface SessionSummary {
  readonly id: string;
  readonly file: string;
  readonly session?: SessionFile;
  /** Why the file could not be read (it is left as it is). */
  readonly problem?: string;
}

/**
 * The journal: one JSON file per session under `<state dir>/sessions/`, written atomically (temp file, fsync,
 * rename) with mode 0600, and locked so one process at a time works on a session. Each service of a session is
 * locked too (`<state dir>/locks/`), so two sessions never migrate one service at the same time.
 */
export class SessionStore {
  constructor(
    readonly stateDir: string,
    private readonly secrets: SecretSource = () => [],
  ) {}

  private get dir(): string {
    return join(this.stateDir, SESSIONS);
  }

  /** The file of a session; refuses anything but an id this tool makes (exit 2), so paths never escape the folder. */
  fileOf(id: string): string {
    checkSessionId(id);
    return join(this.dir, `${id}.json`);
  }

  /** Where a session's container logs are kept in full (beside its file; removed when it is forgotten). */
  logsDirOf(id: string): string {
    checkSessionId(id);
    return join(this.dir, `${id}.logs`);
  }

  /** Where a session's replay of one service is kept: its journal and its report (`<id>.replays/<service>/`). */
  replayDirOf(id: string, service: string): string {
    checkSessionId(id);
    return join(this.dir, `${id}.replays`, service.replace(/[^A-Za-z0-9_-]/g, "_"));
  }

  /** Where a session keeps a migrated service's kit for its callers (`<id>.callers/<service>/`). */
  callersKitDirOf(id: string, service: string): string {
    checkSessionId(id);
    return join(this.dir, `${id}.callers`, service.replace(/[^A-Za-z0-9_-]/g, "_"));
  }

  /** The same store, refusing to write the secrets `source` names (one run registers the keys it reads). */
  withSecrets(source: SecretSource): SessionStore {
    return new SessionStore(this.stateDir, source);
  }

  /** Starts a new session, locked by this process with each of its services; nothing is written if one is busy. */
  create(init: Omit<SessionFile, "schemaVersion" | "id" | "createdAt" | "updatedAt">, now = new Date()): OpenSession {
    this.prepare(this.dir);
    const id = `${now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-")}-${randomBytes(2).toString("hex")}`;
    const session: SessionFile = { schemaVersion: SESSION_SCHEMA_VERSION, id, createdAt: now.toISOString(), updatedAt: now.toISOString(), ...init };
    const open = new OpenSession(this, session, this.lockAll(session), this.secrets);
    try {
      open.save();
    } catch (e) {
      open.release();
      throw e;
    }
    return open;
  }

  /** Opens an existing session for work: refuses unreadable, newer or locked files without touching them. */
  open(id: string): OpenSession {
    const file = this.fileOf(id);
    if (!existsSync(file)) throw noSuchSession(id, this.dir);
    const session = this.read(file);
    return new OpenSession(this, session, this.lockAll(session), this.secrets);
  }

  /**
   * Deletes a session's file (the local record only; Azure resources stay). Takes the lock first, so a session
   * another process is driving is refused; an unreadable file can be forgotten too.
   */
  forget(id: string): void {
    const file = this.fileOf(id);
    if (!existsSync(file)) throw noSuchSession(id, this.dir);
    const lock = this.lock(`${id}.lock`, this.dir, { session: id });
    try {
      rmSync(file);
      rmSync(this.logsDirOf(id), { recursive: true, force: true });
      rmSync(join(this.dir, `${id}.replays`), { recursive: true, force: true });
      rmSync(join(this.dir, `${id}.callers`), { recursive: true, force: true });
    } finally {
      lock.release();
    }
  }

  read(file: string): SessionFile {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw damaged(file, (e as Error).message);
    }
    const record = parsed as Partial<SessionFile> | null;
    if (record === null || typeof record !== "object" || Array.isArray(record) || (record.schemaVersion === undefined && record.id === undefined)) {
      throw new UserFixableError(`${file} is not an aci-migrate session file (it holds ${describeJson(parsed)}).`, {
        why: "Only aci-migrate writes the sessions folder; this file was put or edited there by hand, and it is left as it is.",
        nextStep: `Move it out of ${this.dir}; sessions of aci-migrate are named like 20261127-101500-ab12.json.`,
        source: file,
        kind: "state",
      });
    }
    if (typeof record.schemaVersion === "number" && record.schemaVersion > SESSION_SCHEMA_VERSION) {
      throw new UserFixableError(
        `The session file ${file} was written by a newer aci-migrate (schema ${record.schemaVersion}; this one reads ${SESSION_SCHEMA_VERSION}).`,
        {
          why: "Reading it with an older version could lose what the newer one recorded, so it is left untouched.",
          nextStep: "Upgrade aci-migrate (npm i -g azureml-aci-migrate@latest) and resume from there.",
          source: file,
          kind: "state",
        },
      );
    }
    const missing = missingSessionFields(record);
    if (missing.length)
      throw damaged(file, `${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ` and ${missing.length - 3} more` : ""} missing or of the wrong type`);
    // What the journal relies on and a hand edit can break: the file is found by its id, and each service is
    // locked (and its resources found) by its name.
    const named = basename(file, ".json");
    if (record.id !== named) throw damaged(file, `its id is ${printable(String(record.id), 60)}, but its file is named ${printable(named, 60)}.json`);
    const names = record.services!.map((s) => s.name.toLowerCase());
    const twice = record.services!.find((s, i) => names.indexOf(s.name.toLowerCase()) !== i);
    if (twice) throw damaged(file, `it lists service ${printable(twice.name, 60)} twice`);
    return upgradeSession(record as SessionFile);
  }

  /** Every session file, newest first; unreadable ones are listed with their problem, not hidden. */
  list(): SessionSummary[] {
    if (!existsSync(this.dir)) return [];
    sweepTemporaries(this.dir);
    sweepOrphanLocks(this.dir);
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .reverse()
      .map((f) => {
        const file = join(this.dir, f);
        const id = f.slice(0, -".json".length);
        try {
          return { id, file, session: this.read(file) };
        } catch (e) {
          return { id, file, problem: (e as Error).message };
        }
      });
  }

  /**
   * What a session is doing as far as this machine can tell: the file says `running`, but only a live process
   * holding its lock runs it; one whose process is gone (killed, a closed terminal) is `interrupted`. One a
   * rollback undid is `rolled-back`, whatever its run ended as.
   */
  activity(summary: SessionSummary): SessionFile["status"] | "interrupted" | "rolled-back" | undefined {
    if (summary.session?.rolledBackAt) return "rolled-back";
    const status = summary.session?.status;
    if (status !== "running") return status;
    return lockState(join(this.dir, `${summary.id}.lock`)) === "held" ? "running" : "interrupted";
  }

  /** The session's lock, then one per service (keyed by where it lives); all or none. */
  private lockAll(session: SessionFile): HeldLock[] {
    const held = [this.lock(`${session.id}.lock`, this.dir, { session: session.id })];
    try {
      const locks = join(this.stateDir, LOCKS);
      this.prepare(locks);
      for (const s of session.services) {
        const t = session.target;
        const key = createHash("sha256")
          .update([t.armEndpoint, t.subscriptionId, t.resourceGroup, t.workspace, s.name].join("\n").toLowerCase())
          .digest("hex")
          .slice(0, 24);
        held.push(this.lock(`service-${key}.lock`, locks, { session: session.id, service: s.name, workspace: t.workspace }));
      }
      return held;
    } catch (e) {
      for (const h of held) h.release();
      throw e;
    }
  }

  private lock(name: string, dir: string, owner: Record<string, string>): HeldLock {
    const result = takeLock(join(dir, name), owner);
    if ("held" in result) return result.held;
    const h = result.busy;
    const who =
      h.owner?.service && h.owner.session !== owner.session
        ? `Service ${h.owner.service} is being migrated by session ${h.owner.session}`
        : `Session ${owner.session} is in use`;
    const where = h.host === hostname() ? `pid ${h.pid}` : `pid ${h.pid} on host ${h.host}`;
    throw new UserFixableError(`${who} by another aci-migrate (${where}, since ${h.at}).`, {
      why: h.owner?.service
        ? "Two migrations of one service would create and move the same endpoint at once."
        : "Two processes driving one migration would fight over the same endpoint.",
      nextStep:
        h.host === hostname()
          ? `Wait for it to finish, or stop it (kill ${h.pid}) and run \`aci-migrate resume ${h.owner?.session ?? owner.session}\`.`
          : `Wait for it to finish on ${h.host}; if nothing runs there any more, delete ${join(dir, name)}.`,
      kind: "state",
    });
  }

  /** Makes a folder of the store (0700), sweeping temporary files that dead processes left in it. */
  private prepare(dir: string): void {
    makeFolder(dir);
    sweepTemporaries(dir);
    sweepOrphanLocks(dir);
  }
}

function checkSessionId(id: string): void {
  if (!SESSION_ID.test(id)) {
    throw new UserFixableError(`"${printable(id)}" is not a session id.`, {
      why: "Session ids look like 20261127-101500-ab12; anything else (a path, a name) is refused so nothing outside the sessions folder is read or deleted.",
      nextStep: "List the sessions with `aci-migrate sessions` and copy an id from there.",
      source: "command line",
      kind: "input",
    });
  }
}

function noSuchSession(id: string, dir: string): UserFixableError {
  return new UserFixableError(`There is no session ${id} in ${dir}.`, {
    nextStep: "List them with `aci-migrate sessions` (the same --state-dir as the run that made it).",
    kind: "input",
  });
}

/** Session locks left by a process killed before the session's first save: no session file, holder gone. */
function sweepOrphanLocks(dir: string): void {
  for (const name of readdirSync(dir)) {
    const id = /^(.+)\.lock$/.exec(name)?.[1];
    if (id && !existsSync(join(dir, `${id}.json`)) && lockState(join(dir, name)) === "abandoned") rmSync(join(dir, name), { force: true });
  }
}

function damaged(file: string, detail: string): UserFixableError {
  return new UserFixableError(`The session file ${file} cannot be read: ${detail}.`, {
    why: "It was damaged or edited by hand; aci-migrate leaves it exactly as it is.",
    nextStep: "Move it away (or restore it from a backup) and start the migration again; resources it created are found again by their tags.",
    source: file,
    kind: "state",
  });
}

function describeJson(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "an object without a session's fields" : `a ${typeof v}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The fields the tool reads from a session file that are absent or of the wrong type (empty: the shape holds). */
function missingSessionFields(s: Record<string, unknown>): string[] {
  const out: string[] = [];
  const need = (ok: boolean, field: string) => void (ok || out.push(field));
  need(typeof s.schemaVersion === "number", "schemaVersion");
  need(typeof s.id === "string", "id");
  need(typeof s.createdAt === "string", "createdAt");
  need(typeof s.updatedAt === "string", "updatedAt");
  need(["running", "done", "failed", "cancelled"].includes(s.status as string), "status");
  const t = s.target;
  need(isObject(t), "target");
  if (isObject(t)) {
    need(t.kind === "azure" || t.kind === "sandbox", "target.kind");
    for (const f of ["armEndpoint", "subscriptionId", "resourceGroup", "workspace", "location"]) need(typeof t[f] === "string", `target.${f}`);
  }
  need(Array.isArray(s.services), "services");
  if (Array.isArray(s.services)) {
    s.services.forEach((svc: unknown, i) => {
      const at = `services[${i}]`;
      if (!isObject(svc)) return void out.push(at);
      need(typeof svc.name === "string", `${at}.name`);
      need(isObject(svc.overrides), `${at}.overrides`);
      need(isObject(svc.resources), `${at}.resources`);
      need(
        isObject(svc.plan) && typeof svc.plan.endpointName === "string" && typeof svc.plan.deploymentName === "string" && isObject(svc.plan.sku),
        `${at}.plan`,
      );
      const steps = svc.steps;
      // Schema 1 had no model step (upgradeSession adds it).
      const stepsOfItsSchema = s.schemaVersion === 1 ? STEP_NAMES.filter((n) => n !== "model") : STEP_NAMES;
      need(
        isObject(steps) && stepsOfItsSchema.every((n) => isObject(steps[n]) && typeof steps[n].status === "string" && typeof steps[n].attempts === "number"),
        `${at}.steps`,
      );
    });
  }
  return out;
}

/**
 * How long a noted change may wait to be written: a run notes each step's start, end and resources, many times a
 * second with many services, and every write is the whole session (fsynced), so twenty services journalling each
 * change on its own spent a second of the run writing. A resume reconciles every step with Azure first, so what a
 * kill loses of the last moment is only read again.
 */
export const JOURNAL_WRITE_MS = 100;

/**
 * The sessions of this process with changes not yet written; while there are any, they are written as the
 * process exits (process.exit too).
 */
const unwritten = new Set<OpenSession>();
function writeUnwritten(): void {
  for (const s of [...unwritten]) {
    try {
      s.flush();
    } catch {
      // the disk refused it (or a secret): the file keeps its last whole state, as a kill would leave it
    }
  }
}
function markUnwritten(s: OpenSession): void {
  if (!unwritten.size) process.on("exit", writeUnwritten);
  unwritten.add(s);
}
function markWritten(s: OpenSession): void {
  if (unwritten.delete(s) && !unwritten.size) process.off("exit", writeUnwritten);
}

/** A session this process holds the lock of. */
export class OpenSession {
  private timer: NodeJS.Timeout | undefined;
  /** Why the last timed write failed; thrown by the next journal call, so the run hears of it. */
  private failed: unknown;

  constructor(
    private readonly store: SessionStore,
    readonly data: SessionFile,
    private readonly locks: readonly HeldLock[],
    private readonly secrets: SecretSource,
  ) {}

  /** Applies a change and writes it through before returning (with any noted change). */
  update(change: (s: SessionFile) => void): void {
    this.throwFailed();
    change(this.data);
    this.flush(true);
  }

  /** Applies a change now and writes it within JOURNAL_WRITE_MS, with the changes noted meanwhile. */
  note(change: (s: SessionFile) => void): void {
    this.throwFailed();
    change(this.data);
    markUnwritten(this);
    this.timer ??= setTimeout(() => {
      try {
        this.flush();
      } catch (e) {
        this.failed = e;
      }
    }, JOURNAL_WRITE_MS).unref();
  }

  /** Writes what was noted and is not written yet (`always`: write even when nothing is). */
  flush(always = false): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!always && !unwritten.has(this)) return;
    this.save();
    markWritten(this);
  }

  save(): void {
    this.data.updatedAt = new Date().toISOString();
    const text = JSON.stringify(this.data, null, 2);
    for (const secret of this.secrets()) {
      if (secret && text.includes(secret)) throw new Error("BUG: a secret was about to be written to the session file; nothing was written.");
    }
    writeAtomically(this.store.fileOf(this.data.id), text);
  }

  private throwFailed(): void {
    const failed = this.failed;
    this.failed = undefined;
    if (failed) throw failed;
  }

  /** Where this session's replay of a service keeps its journal and report. */
  replayDir(service: string): string {
    return this.store.replayDirOf(this.data.id, service);
  }

  callersKitDir(service: string): string {
    return this.store.callersKitDirOf(this.data.id, service);
  }

  /** Writes a service's callers' kit (refusing, as the session file does, any file holding a secret of this run). */
  writeCallersKit(service: string, files: Readonly<Record<string, string>>): void {
    for (const secret of this.secrets()) {
      if (secret && Object.values(files).some((t) => t.includes(secret)))
        throw new Error("BUG: a secret was about to be written to the callers' kit; nothing was written.");
    }
    writeKitFiles(this.callersKitDir(service), files);
  }

  /** Adds a deployment's container log lines to its file beside the session; returns the file. */
  appendLog(service: string, deployment: string, container: string, lines: readonly string[]): string {
    return appendContainerLog(this.store.logsDirOf(this.data.id), [service, deployment, container], lines, this.secrets);
  }

  /** Writes what is noted, then gives up the session's and its services' locks (again: a no-op). */
  release(): void {
    try {
      this.flush();
    } finally {
      markWritten(this);
      for (const lock of this.locks) lock.release();
    }
  }
}
