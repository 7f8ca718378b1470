import { dirname, join, relative, resolve } from "node:path";
import type { Command } from "commander";
import type { CodeFiles } from "../../azure/code-snapshot.js";
import type { AzMlYamlOptions } from "../../domain/az-ml-yaml.js";
import { combinedModelPath } from "../../domain/model-layout.js";
import type { WorkspaceTarget } from "../../migration/port.js";
import type { V1Service } from "../../domain/v1-service.js";
import { writeExportFolder } from "../export-folder.js";
import { checkOutFolder } from "../out-folder.js";
import { UserFixableError } from "../../domain/errors.js";
import { buildPlan, type MigrationPlan, type RegionFacts } from "../../domain/plan.js";
import { regionFacts } from "../../journey/draft.js";
import { isImageBased } from "../../domain/v1-service.js";
import { scanScript, scriptContextOf } from "../../migration/script-check.js";
import type { ScriptContext } from "../../domain/script-habits.js";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { optionsOf } from "../options.js";
import { loadServiceFromFiles } from "../load-service.js";
import { openLiveService, type LiveServiceFlags } from "../live-service.js";
import { overridesFrom, type OverrideFlags } from "../plan-override-options.js";
import { planWithFlags } from "../plan-with-flags.js";
import { printJson } from "../render/json-output.js";
import { planToJson } from "../render/plan-json.js";
import { renderPlanText } from "../../journey/text/plan-text.js";

// The code folder's reader (tar) and the Azure clients load only when a plan reads code or a workspace, so that a
// plan from files starts as fast as Node does (test/cli/lazy-loading.test.ts).
const codeSnapshot = () => import("../../azure/code-snapshot.js");

export async function runPlan(io: CommandIo, connect: Connect, _local: unknown, cmd: Command): Promise<void> {
  const opts = optionsOf<PlanCommandOptions>(cmd);
  const out = opts.out === undefined ? undefined : checkOutFolder(opts.out, opts.codeDir);
  const source = opts.service || opts.workspace ? await loadServiceFromWorkspace(opts, cmd, connect) : await loadFromFiles(opts);
  const scan = source.code && !isImageBased(source.service) ? await scriptScanOf(source.service, source.code, source.scriptContext) : undefined;
  const plan = planWithFlags(source.service, overridesFrom(opts), scan, source.region);
  const files = out ? await writeExport(plan, source, out) : undefined;
  if (opts.json) printJson(io, planToJson(plan, files));
  else {
    io.out(renderPlanText(plan, io.decorated));
    if (files)
      io.out(
        `\nWrote ${opts.out}: ${files.map((f) => relative(opts.out!, f) || f).join(", ")}.\nThe commands to create it, in order, are in ${join(opts.out!, "README.md")}.`,
      );
  }
}

interface PlanCommandOptions extends OverrideFlags, LiveServiceFlags {
  codeDir?: string;
  out?: string;
  json?: boolean;
}

/** A service with what an export needs of it: its scoring code (when it can be read) and, live, where it is. */
interface PlannedSource {
  readonly service: V1Service;
  readonly code?: CodeFiles;
  readonly workspace?: WorkspaceTarget;
  /** For a live service with several models: the copies inside storage that gather them. */
  readonly modelCopies?: AzMlYamlOptions["modelCopies"];
  /** For a live service: what its region says (a taken endpoint name, free quota). */
  readonly region?: RegionFacts;
  /** For a live service: the packages of the environment the plan names and the files its models registered. */
  readonly scriptContext?: Partial<ScriptContext>;
}

async function loadFromFiles(opts: PlanCommandOptions): Promise<PlannedSource> {
  const service = await loadServiceFromFiles(opts);
  const scoringScript = service.entryScript ?? "score.py";
  const folder =
    opts.codeDir ?? (opts.inferenceConfig && service.sourceDirectory ? resolve(dirname(resolve(opts.inferenceConfig)), service.sourceDirectory) : undefined);
  return { service, code: folder ? await (await codeSnapshot()).readCodeFolder(folder, scoringScript) : undefined };
}

async function scriptScanOf(service: V1Service, code: CodeFiles, context?: Partial<ScriptContext>) {
  const text = await (await codeSnapshot()).codeFileText(code, service.entryScript ?? "score.py");
  return text === undefined ? undefined : scanScript(service, text, context);
}

/** The export folder; refused before anything is written when the scoring code it must hold is not at hand. */
async function writeExport(plan: MigrationPlan, source: PlannedSource, out: string): Promise<string[]> {
  if (!source.code && plan.environment.kind !== "image") {
    throw new UserFixableError(`--out writes a folder that deploys as written, and the scoring code of ${plan.service.name} is not at hand.`, {
      why: "A service file carries no code; its v1 source snapshot is read from the workspace.",
      nextStep: "Pass the scoring code folder with --code-dir DIR, or plan the service from its workspace (-w WORKSPACE --service NAME).",
      kind: "input",
    });
  }
  return writeExportFolder(resolve(out), plan, source.code, { workspace: source.workspace, modelCopies: source.modelCopies });
}

async function loadServiceFromWorkspace(opts: PlanCommandOptions, cmd: Command, connect: Connect) {
  const { session, ws, doc, service, adapter } = await openLiveService(opts, cmd, connect);
  try {
    const codeSource = opts.codeDir
      ? { kind: "folder" as const, path: opts.codeDir, scoringScript: service.entryScript ?? "score.py" }
      : { kind: "snapshot" as const, service: doc };
    // The snapshot of a service that has none is reported by migrate's code step; a plan goes on without it.
    const code =
      isImageBased(service) && !opts.codeDir
        ? undefined
        : await adapter.readCode(ws, codeSource).catch((e: unknown) => {
            if (e instanceof UserFixableError && codeSource.kind === "snapshot") return undefined;
            throw e;
          });
    const models =
      service.models.length > 1 && opts.out
        ? await adapter.combinedModelCopies(
            ws,
            service.models.map((m) => ({ name: m.name, version: m.version ?? "", path: combinedModelPath(m.name, m.version ?? "") })),
          )
        : undefined;
    // Asked of the region as the review asks it: a taken endpoint name or short quota is a blocker here, not a
    // failure at preflight. Overrides that do not hold are reported by planWithFlags below; the region waits for them.
    const asPlanned = (() => {
      try {
        return buildPlan(service, overridesFrom(opts));
      } catch {
        return undefined;
      }
    })();
    const [region, scriptContext] = await Promise.all([
      asPlanned ? regionFacts({ port: adapter, ws }, asPlanned) : undefined,
      scriptContextOf(adapter, ws, service, opts.environment),
    ]);
    return { service, code, workspace: ws, modelCopies: models, region, scriptContext };
  } finally {
    await session.close();
  }
}
