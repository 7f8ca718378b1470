import { join } from "node:path";
import { writeAtomically } from "../fs/atomic-write.js";
import { makeFolder } from "../fs/make-folder.js";

/**
 * Writes a callers' kit's files into its folder (0700; files 0600, as everything in the state directory: the
 * sample request may hold a caller's data). Names are the kit's own; none leaves the folder.
 */
export function writeKitFiles(dir: string, files: Readonly<Record<string, string>>): void {
  makeFolder(dir);
  for (const [name, text] of Object.entries(files)) {
    if (name.includes("/") || name.includes("\\") || name.startsWith(".")) throw new Error(`BUG: a kit file named ${name} would leave its folder.`);
    writeAtomically(join(dir, name), text, 0o600, { fsync: false });
  }
}
