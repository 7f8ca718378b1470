import { accessSync, constants, existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/**
 * `mkdir -p` with mode 0700 (the state folder and its parts hold sessions and logs: the user's only). Node's
 * recursive mkdir reports a folder it cannot make under a read-only mount as ENOENT ("no such file or
 * directory"), which reads as a bug; the nearest folder that exists is asked why instead, so the error says
 * EROFS (or EACCES) with that folder's path.
 */
export function makeFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    let existing = dirname(dir);
    while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
    accessSync(existing, constants.W_OK); // throws EROFS / EACCES with the folder's path
    throw e;
  }
}
