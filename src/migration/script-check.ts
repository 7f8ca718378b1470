import { UserFixableError } from "../domain/errors.js";
import { condaFilePackageNames, condaPackageNames } from "../domain/parse-v1-environment.js";
import type { ScriptScan } from "../domain/plan.js";
import type { ScriptContext } from "../domain/script-habits.js";
import type { V1Service } from "../domain/v1-service.js";
import { preparePythonParser, scanScoringScript } from "../scan/python-scan.js";
import type { CodeSource, MigrationPort, WorkspaceTarget } from "./port.js";

/** Loads the check's parser beside the reads that come first (see preparePythonParser). */
export const prepareScriptCheck = preparePythonParser;

/**
 * The scoring-script check, before anything is created: the script is read from the code that would be deployed
 * (the v1 snapshot or `--code-dir`) and parsed with a real Python parser, knowing the environment that will run
 * it (the plan's: the service's own, or the registered one named instead) and the files its models registered.
 * Code that cannot be read is left to the code step to report (undefined here: not scanned), so the user hears
 * of it once.
 */
export async function checkScoringScript(
  port: MigrationPort,
  ws: WorkspaceTarget,
  service: V1Service,
  source: CodeSource,
  /** `name:version` of the registered environment the plan runs in instead of the service's own. */
  environmentOverride?: string,
): Promise<ScriptScan | undefined> {
  const file = service.entryScript ?? "score.py";
  const [text, context] = await Promise.all([
    port.codeFile(ws, source, file).catch((e: unknown) => {
      if (e instanceof UserFixableError) return undefined;
      throw e;
    }),
    scriptContextOf(port, ws, service, environmentOverride),
  ]);
  return text === undefined ? undefined : scanScript(service, text, context);
}

/**
 * What the check should know of where the script will run, read from the workspace: the packages of the
 * environment the plan names, and the file each model version registered. What cannot be read stays unknown.
 */
export async function scriptContextOf(
  port: MigrationPort,
  ws: WorkspaceTarget,
  service: V1Service,
  environmentOverride?: string,
): Promise<Partial<ScriptContext>> {
  const [environmentPackages, models] = await Promise.all([
    packagesOf(port, ws, service, environmentOverride).catch(() => undefined),
    Promise.all(
      service.models.map(async (m) => {
        const entry = m.version ? await port.modelFileName(ws, m.name, m.version).catch(() => undefined) : undefined;
        return { name: m.name, version: m.version ?? "", ...(entry ? { entry } : {}) };
      }),
    ),
  ]);
  return { environmentPackages, models };
}

/** What the environment that will run the script installs; undefined when that is not known (an image's own). */
async function packagesOf(port: MigrationPort, ws: WorkspaceTarget, service: V1Service, override?: string): Promise<string[] | undefined> {
  if (override) {
    const i = override.lastIndexOf(":");
    const found = await port.environmentVersion(ws, override.slice(0, i), override.slice(i + 1));
    return found?.condaFile ? condaFilePackageNames(found.condaFile) : undefined;
  }
  return servicePackages(service);
}

/** The packages the service's own environment lists (undefined for one whose dependencies the user manages). */
export function servicePackages(service: V1Service): string[] | undefined {
  const env = service.environment;
  if (!env || env.userManagedDependencies || env.condaDependencies === undefined) return undefined;
  return condaPackageNames(env.condaDependencies);
}

/** The check of a scoring script's text (the service's entry script), for code read here or by the caller. */
export async function scanScript(service: V1Service, text: string, known: Partial<ScriptContext> = {}): Promise<ScriptScan> {
  const file = service.entryScript ?? "score.py";
  const context: ScriptContext = {
    models: known.models ?? service.models.map((m) => ({ name: m.name, version: m.version ?? "" })),
    environmentPackages: "environmentPackages" in known ? known.environmentPackages : servicePackages(service),
    sourceDirectory: service.sourceDirectory,
  };
  return { file, source: text, habits: await scanScoringScript(text, file, context) };
}
