import { statSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { UserFixableError } from "../domain/errors.js";
import { printable } from "../domain/printable.js";

/**
 * The folder `plan --out` will write, checked before anything is read or written: named, a folder (or not there
 * yet), not under a file, and not inside the scoring code it copies from (the export would land in the user's
 * source folder, and be copied into itself on the next run). Returns it resolved.
 */
export function checkOutFolder(out: string, codeDir: string | undefined): string {
  const shown = printable(out, 200);
  if (!out.trim()) {
    throw new UserFixableError("--out names no folder (it is empty).", {
      nextStep: "Name the folder to write the export into, e.g. --out ./managed-endpoint.",
      kind: "input",
    });
  }
  const dir = resolve(out);
  for (let at = dir; ; at = resolve(at, "..")) {
    const stat = statOrUndefined(at);
    if (stat && !stat.isDirectory()) {
      throw new UserFixableError(at === dir ? `--out ${shown} is a file, not a folder.` : `--out ${shown} is under ${printable(at, 200)}, which is a file.`, {
        why: "The export is a folder: endpoint.yml, deployment.yml, code/ and a README.",
        nextStep: "Name a new folder (or an existing one) with --out, e.g. --out ./managed-endpoint.",
        source: out,
        kind: "input",
      });
    }
    if (stat || resolve(at, "..") === at) break;
  }
  if (codeDir) {
    const inside = relative(resolve(codeDir), dir);
    if (inside === "" || (!inside.startsWith(`..${sep}`) && inside !== ".." && !inside.startsWith(sep))) {
      throw new UserFixableError(`--out ${shown} is inside the --code-dir ${printable(codeDir, 200)}.`, {
        why: "The export copies the scoring code from that folder; written inside it, it would change your source folder (and be copied into itself next time).",
        nextStep: "Choose a folder outside the code folder with --out, e.g. --out ../managed-endpoint.",
        source: out,
        kind: "input",
      });
    }
  }
  return dir;
}

/** The path's stat; undefined when it is not there, or a file stands on the way to it (ENOTDIR: looked at next). */
function statOrUndefined(path: string) {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw e;
  }
}
