import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "./process-alive.js";

/**
 * Writes a file whole or not at all: a temporary beside it (named with this pid, so sweepTemporaries knows a dead
 * writer's), fsync, rename. A failed write (a full disk) removes the temporary and leaves the old file as it was.
 */
export function writeAtomically(file: string, text: string | Buffer, mode = 0o600, o: { fsync?: boolean } = {}): void {
  const tmp = `${file}.${process.pid}.${randomBytes(3).toString("hex")}.tmp`;
  try {
    const fd = openSync(tmp, "w", mode);
    try {
      writeSync(fd, typeof text === "string" ? Buffer.from(text) : text);
      // fsync guards against a power cut; the rename alone already guards against a killed process.
      if (o.fsync !== false) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Removes `*.tmp` files of processes that no longer run (`<name>.<pid>.<random>.tmp`, as writeAtomically and
 * takeLock name them): what a crash or a full disk left half-written. A live process's temporaries are kept.
 */
export function sweepTemporaries(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name);
    if (m && Number(m[1]) !== process.pid && !isProcessAlive(Number(m[1]))) rmSync(join(dir, name), { force: true });
  }
}
