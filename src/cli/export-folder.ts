import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { CodeFiles } from "../azure/code-snapshot.js";
import { toAzMlYaml, type AzMlYamlOptions } from "../domain/az-ml-yaml.js";
import { UserFixableError } from "../domain/errors.js";
import type { MigrationPlan } from "../domain/plan.js";
import { explainSystemError } from "../domain/system-errors.js";
import { writeAtomically } from "../fs/atomic-write.js";
import { makeFolder } from "../fs/make-folder.js";

/**
 * Writes an export folder: the YAML and README of toAzMlYaml, and the scoring code under `code/` (with the
 * plan's accepted script edits made in the copy). Every file is written whole or not at all. Returns the paths
 * written, relative to the folder's parent as the user named it.
 */
export async function writeExportFolder(
  outDir: string,
  plan: MigrationPlan,
  asRead: CodeFiles | undefined,
  options: Omit<AzMlYamlOptions, "codeMissing" | "codePath"> = {},
): Promise<string[]> {
  // The accepted script edits are made here, for every face that exports (loaded only then: it reads blobs too).
  const code =
    asRead && plan.script.editsAccepted && plan.script.file
      ? await (await import("../azure/code-snapshot.js")).withScriptEdits(asRead, plan.script.file, plan.script.edits)
      : asRead;
  const files = toAzMlYaml(plan, { ...options, codeMissing: !code && plan.environment.kind !== "image" });
  try {
    makeFolder(outDir);
    const written: string[] = [];
    for (const [name, content] of Object.entries(files)) {
      if (content === undefined) continue;
      writeAtomically(join(outDir, name), content, 0o644); // a full disk leaves no 0-byte file behind
      written.push(join(outDir, name));
    }
    if (code && plan.environment.kind !== "image") {
      for (const f of code.files) {
        const target = join(outDir, "code", ...f.path.split("/"));
        await mkdir(dirname(target), { recursive: true });
        if ("content" in f.source) writeAtomically(target, f.source.content, 0o644);
        else await copyFile(f.source.disk, target);
      }
      written.push(`${join(outDir, "code")}/`);
    }
    return written;
  } catch (e) {
    // The system's explanations speak of the state folder; here the folder is --out's (a full disk keeps its own).
    const explained = explainSystemError(e);
    if (explained && /ENOSPC|EDQUOT/.test(String((e as NodeJS.ErrnoException).code))) throw explained;
    throw new UserFixableError(`Cannot write the export into ${outDir}: ${explained?.message ?? (e as Error).message}`, {
      nextStep: "Choose a folder you can write to with --out.",
      source: outDir,
      kind: "input",
    });
  }
}
