import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Whether this process may mount a tmpfs (root, as in CI): the way to give a test a full or read-only disk. */
export const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), "aci-migrate-mountprobe-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir], { stdio: "ignore" });
    execFileSync("umount", [dir], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

/**
 * A folder on its own small tmpfs, read-only when asked (root bypasses permission bits, so only a read-only mount
 * refuses it a write); `fill` is called before a read-only remount. Unmounted and removed by `dispose`.
 */
export function smallDisk(o: { kib: number; readOnly?: boolean; fill?: (dir: string) => void }): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), "aci-migrate-disk-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${o.kib}k`, "tmpfs", dir]);
  o.fill?.(dir);
  if (o.readOnly) execFileSync("mount", ["-o", "remount,ro", dir]);
  return {
    dir,
    dispose: () => {
      execFileSync("umount", [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a filler file until the disk says it is full. */
export function fillDisk(dir: string): void {
  const fd = openSync(join(dir, "filler"), "w");
  try {
    for (;;) writeSync(fd, Buffer.alloc(1024));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
  } finally {
    closeSync(fd);
  }
}
