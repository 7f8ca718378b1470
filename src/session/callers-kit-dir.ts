import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeAtomically } from "../fs/atomic-write.js";

/**
 * Writes a callers' kit's files into its folder (0700; files 0600, as everything in the state directory: the
 * sample request may hold a caller's data). Names are the kit's own; none leaves the folder.
 */
export function writeKitFiles(dir: string, files: Readonly<Record<string, string>>): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [name, text] of Object.entries(files)) {
    if (name.includes("/") || name.includes("\\") || name.startsWith(".")) throw new Error(`BUG: a kit file named ${name} would leave its folder.`);
    writeAtomically(join(dir, name), text, 0o600, { fsync: false });
  }
}
