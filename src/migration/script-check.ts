import { UserFixableError } from "../domain/errors.js";
import type { ScriptScan } from "../domain/plan.js";
import type { V1Service } from "../domain/v1-service.js";
import { preparePythonParser, scanScoringScript } from "../scan/python-scan.js";
import type { CodeSource, MigrationPort, WorkspaceTarget } from "./port.js";

/** Loads the check's parser beside the reads that come first (see preparePythonParser). */
export const prepareScriptCheck = preparePythonParser;

/**
 * The scoring-script check, before anything is created: the script is read from the code that would be deployed
 * (the v1 snapshot or `--code-dir`) and parsed with a real Python parser. Code that cannot be read is left to the
 * code step to report (undefined here: not scanned), so the user hears of it once.
 */
export async function checkScoringScript(port: MigrationPort, ws: WorkspaceTarget, service: V1Service, source: CodeSource): Promise<ScriptScan | undefined> {
  const file = service.entryScript ?? "score.py";
  const text = await port.codeFile(ws, source, file).catch((e: unknown) => {
    if (e instanceof UserFixableError) return undefined;
    throw e;
  });
  return text === undefined ? undefined : scanScript(service, text);
}

/** The check of a scoring script's text (the service's entry script), for code read here or by the caller. */
export async function scanScript(service: V1Service, text: string): Promise<ScriptScan> {
  const file = service.entryScript ?? "score.py";
  const models = service.models.map((m) => ({ name: m.name, version: m.version ?? "" }));
  return { file, source: text, habits: await scanScoringScript(text, file, { models }) };
}
