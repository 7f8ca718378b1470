import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { UserFixableError } from "../domain/errors.js";
import { isProcessAlive } from "./process-alive.js";
import { SESSION_SCHEMA_VERSION, type SessionFile } from "./session-file.js";

const SESSIONS = "sessions";

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
 * rename) with mode 0600, and locked so one process at a time works on a session.
 */
export class SessionStore {
  constructor(
    readonly stateDir: string,
    private readonly secrets: SecretSource = () => [],
  ) {}

  private get dir(): string {
    return join(this.stateDir, SESSIONS);
  }

  fileOf(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  /** The same store, refusing to write the secrets `source` names (one run registers the keys it reads). */
  withSecrets(source: SecretSource): SessionStore {
    return new SessionStore(this.stateDir, source);
  }

  /** Starts a new session, locked by this process. */
  create(init: Omit<SessionFile, "schemaVersion" | "id" | "createdAt" | "updatedAt">, now = new Date()): OpenSession {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const id = `${now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-")}-${randomBytes(2).toString("hex")}`;
    const session: SessionFile = { schemaVersion: SESSION_SCHEMA_VERSION, id, createdAt: now.toISOString(), updatedAt: now.toISOString(), ...init };
    const open = new OpenSession(this, session, this.lock(id), this.secrets);
    open.save();
    return open;
  }

  /** Opens an existing session for work: refuses unreadable, newer or locked files without touching them. */
  open(id: string): OpenSession {
    const file = this.fileOf(id);
    if (!existsSync(file)) {
      throw new UserFixableError(`There is no session ${id} in ${this.dir}.`, { nextStep: "List them with `aci-migrate sessions`.", kind: "input" });
    }
    const session = this.read(file);
    return new OpenSession(this, session, this.lock(id), this.secrets);
  }

  /**
   * Deletes a session's file (the local record only; Azure resources stay). Takes the lock first, so a session
   * another process is driving is refused; an unreadable file can be forgotten too.
   */
  forget(id: string): void {
    const file = this.fileOf(id);
    if (!existsSync(file)) {
      throw new UserFixableError(`There is no session ${id} in ${this.dir}.`, { nextStep: "List them with `aci-migrate sessions`.", kind: "input" });
    }
    const lockFile = this.lock(id);
    try {
      rmSync(file);
    } finally {
      rmSync(lockFile, { force: true });
    }
  }

  read(file: string): SessionFile {
    let parsed: SessionFile;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8")) as SessionFile;
    } catch (e) {
      throw new UserFixableError(`The session file ${file} cannot be read: ${(e as Error).message}.`, {
        why: "It was damaged or edited by hand; aci-migrate leaves it exactly as it is.",
        nextStep: "Move it away (or restore it from a backup) and start the migration again; resources it created are found again by their tags.",
        source: file,
        kind: "state",
      });
    }
    if (typeof parsed.schemaVersion !== "number" || parsed.schemaVersion > SESSION_SCHEMA_VERSION) {
      throw new UserFixableError(`The session file ${file} was written by a newer aci-migrate (schema ${String(parsed.schemaVersion)}; this one reads ${SESSION_SCHEMA_VERSION}).`, {
        why: "Reading it with an older version could lose what the newer one recorded, so it is left untouched.",
        nextStep: "Upgrade aci-migrate (npm i -g azureml-aci-migrate@latest) and resume from there.",
        source: file,
        kind: "state",
      });
    }
    return parsed;
  }

  /** Every session file, newest first; unreadable ones are listed with their problem, not hidden. */
  list(): SessionSummary[] {
    if (!existsSync(this.dir)) return [];
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

  private lock(id: string): string {
    const lockFile = join(this.dir, `${id}.lock`);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(lockFile, "wx", 0o600);
        writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
        closeSync(fd);
        return lockFile;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        const holder = readLock(lockFile);
        if (holder && holder.host === hostname() && isProcessAlive(holder.pid)) {
          throw new UserFixableError(`Session ${id} is in use by another aci-migrate (pid ${holder.pid}, since ${holder.at}).`, {
            why: "Two processes driving one migration would fight over the same endpoint.",
            nextStep: `Wait for it to finish, or stop it (kill ${holder.pid}) and run \`aci-migrate resume ${id}\`.`,
            kind: "state",
          });
        }
        rmSync(lockFile, { force: true }); // left by a process that died: take it over
      }
    }
    throw new Error(`BUG: could not take the lock ${lockFile}`);
  }
}

/** A session this process holds the lock of. */
export class OpenSession {
  constructor(
    private readonly store: SessionStore,
    readonly data: SessionFile,
    private readonly lockFile: string,
    private readonly secrets: SecretSource,
  ) {}

  /** Applies a change and writes it through before returning. */
  update(change: (s: SessionFile) => void): void {
    change(this.data);
    this.save();
  }

  save(): void {
    this.data.updatedAt = new Date().toISOString();
    const text = JSON.stringify(this.data, null, 2);
    for (const secret of this.secrets()) {
      if (secret && text.includes(secret)) throw new Error("BUG: a secret was about to be written to the session file; nothing was written.");
    }
    writeAtomically(this.store.fileOf(this.data.id), text);
  }

  release(): void {
    rmSync(this.lockFile, { force: true });
  }
}

export function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(3).toString("hex")}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

function readLock(file: string): { pid: number; host: string; at: string } | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

