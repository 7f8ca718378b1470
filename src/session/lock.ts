import { createHash, randomBytes } from "node:crypto";
import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { isProcessAlive } from "../fs/process-alive.js";

/** What a lock file says about the process holding it. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly at: string;
  /** Unique to one taking of the lock: a take-over removes exactly the lock it judged stale, never a newer one. */
  readonly token: string;
  /** What the holder is doing, e.g. the session it drives (for the refusal message). */
  readonly owner?: Record<string, string>;
}

export type LockResult = { readonly held: HeldLock } | { readonly busy: LockHolder };

export interface HeldLock {
  readonly file: string;
  release(): void;
}

const TAKEOVER_ATTEMPTS = 200;

/**
 * Takes an exclusive lock file, or says who holds it. The lock's content is written to a private file first and
 * linked into place (`link` fails if the name exists), so a lock is never seen half-written.
 *
 * A lock whose holder died (same host, pid gone) or whose content is damaged is taken over. proper-lockfile
 * (4.1.2) removes a stale lock and creates its own, so two takers of one stale lock can both end up holding it
 * (moxystudio/node-proper-lockfile#121). Here a taker must first create `<lock>.takeover-<id of that stale lock>`
 * exclusively; only its winner may remove the lock, and only while it still holds that same stale content.
 * A new lock gets a new id, so nobody can remove it on the strength of an older judgement.
 */
export function takeLock(file: string, owner?: Record<string, string>): LockResult {
  const token = randomBytes(8).toString("hex");
  const holder: LockHolder = { pid: process.pid, host: hostname(), at: new Date().toISOString(), token, ...(owner ? { owner } : {}) };
  const staged = `${file}.${process.pid}.${token}.tmp`;
  try {
    writeFileSync(staged, JSON.stringify(holder), { mode: 0o600, flag: "wx" });
  } catch (e) {
    rmSync(staged, { force: true }); // a full disk made it, empty, before the write failed
    throw e;
  }
  try {
    for (let attempt = 0; attempt < TAKEOVER_ATTEMPTS; attempt++) {
      try {
        linkSync(staged, file);
        return { held: { file, release: () => releaseLock(file, token) } };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const current = readLockFile(file);
      if (current === "gone") continue; // released between our link and our read: try again
      if (current.holder && !isStale(current.holder)) return { busy: current.holder };
      takeOverStale(file, current.id);
      if (attempt > 2) pause(1 + (attempt % 7)); // another taker is mid-take-over: let it finish
    }
    throw new Error(`could not take the lock ${file} after ${TAKEOVER_ATTEMPTS} attempts`);
  } finally {
    unlinkSync(staged);
  }
}

/**
 * Whether a process holds the lock now: `held` (alive, or on another host, where it cannot be probed), `free`
 * (no lock file) or `abandoned` (its holder died without letting go: killed, or the machine went down).
 */
export function lockState(file: string): "held" | "free" | "abandoned" {
  const read = readLockFile(file);
  if (read === "gone") return "free";
  return read.holder && !isStale(read.holder) ? "held" : "abandoned";
}

/** Whether the holder is certainly gone: a process of this machine that no longer runs. Another host's lock is kept. */
function isStale(h: LockHolder): boolean {
  return h.host === hostname() && !isProcessAlive(h.pid);
}

type LockRead = "gone" | { readonly id: string; readonly holder?: LockHolder };

function readLockFile(file: string): LockRead {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw e;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid === "number" && typeof parsed.host === "string" && typeof parsed.token === "string") {
      return { id: parsed.token, holder: parsed as LockHolder };
    }
  } catch {
    /* damaged: identified by its content */
  }
  return { id: `damaged-${createHash("sha256").update(text).digest("hex").slice(0, 16)}` };
}

/** Removes the lock iff it still is the stale one `id` names; one taker wins the right to, the others wait. */
function takeOverStale(file: string, id: string): void {
  const marker = `${file}.takeover-${id}`;
  try {
    writeFileSync(marker, JSON.stringify({ pid: process.pid, host: hostname() }), { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    // Another taker holds the marker. If it died there (a window of microseconds), nobody else could ever take
    // the lock over, so its marker goes.
    try {
      const m = JSON.parse(readFileSync(marker, "utf8")) as { pid: number; host: string };
      if (m.host === hostname() && !isProcessAlive(m.pid)) unlinkSync(marker);
    } catch {
      /* gone already, or being written */
    }
    return;
  }
  try {
    const current = readLockFile(file);
    // Only marker holders remove locks, and we hold the one for `id`: if the lock still has that id, it is ours to remove.
    if (current !== "gone" && current.id === id) unlinkSync(file);
  } finally {
    unlinkSync(marker);
  }
}

function releaseLock(file: string, token: string): void {
  const current = readLockFile(file);
  if (current !== "gone" && current.id === token) unlinkSync(file);
}

/** Whether a lock file is held by a live process (read-only; for listings such as `sessions`). */
export function lockHolder(file: string): LockHolder | undefined {
  try {
    const current = readLockFile(file);
    return current !== "gone" && current.holder && !isStale(current.holder) ? current.holder : undefined;
  } catch {
    return undefined;
  }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
