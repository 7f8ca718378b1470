import { dirname, join, relative, resolve } from "node:path";
import type { Command } from "commander";
import { quote } from "shell-quote";
import { writeExportFolder } from "../export-folder.js";
import { checkOutFolder } from "../out-folder.js";
import { UserFixableError } from "../../domain/errors.js";
import type { MigrationPlan } from "../../domain/plan.js";
import { savePlan, savedPlanText } from "../../domain/saved-plan.js";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { optionsOf } from "../options.js";
import { loadServiceFromFiles } from "../load-service.js";
import { openLiveService, type LiveServiceFlags } from "../live-service.js";
import { overridesFrom, type OverrideFlags } from "../plan-override-options.js";
import { basisOf, planSource, readLiveSource, type LiveSource, type PlannedSource } from "../plan-live.js";
import { printJson } from "../render/json-output.js";
import { planToJson } from "../render/plan-json.js";
import { renderPlanText } from "../../journey/text/plan-text.js";
import { commandLineOf } from "../command-line.js";
import { writeAtomically } from "../../fs/atomic-write.js";
import type { TargetFlags } from "../target-options.js";
import { sameWorkspace, workspaceFields } from "../../migration/workspace-place.js";

// The code folder's reader (tar) and the Azure clients load only when a plan reads code or a workspace, so that a
// plan from files starts as fast as Node does (test/cli/lazy-loading.test.ts).
const codeSnapshot = () => import("../../azure/code-snapshot.js");

export async function runPlan(io: CommandIo, connect: Connect, _local: unknown, cmd: Command): Promise<void> {
  const opts = optionsOf<PlanCommandOptions>(cmd);
  const out = opts.out === undefined ? undefined : checkOutFolder(opts.out, opts.codeDir);
  const live = Boolean(opts.service || opts.workspace);
  if (opts.targetWorkspace && !live) {
    throw new UserFixableError("--target-workspace plans the endpoint in another workspace, but the service was read from files.", {
      why: "The target's region, quota and endpoint names are read from Azure, beside the service's own workspace.",
      nextStep: "Plan the service from its workspace: `aci-migrate plan -w WORKSPACE --service NAME --target-workspace TARGET`.",
      kind: "input",
    });
  }
  if (opts.save && !live) {
    throw new UserFixableError("--save keeps a plan to apply to a service in its workspace, but the service was read from files.", {
      why: "Applying a saved plan re-reads the v1 service it was based on, so the plan must come from the workspace.",
      nextStep: "Plan the service from its workspace: `aci-migrate plan -w WORKSPACE --service NAME --save FILE`.",
      kind: "input",
    });
  }
  const overrides = overridesFrom(opts);
  const source = live ? await loadServiceFromWorkspace(opts, cmd, connect) : await loadFromFiles(opts);
  const plan = await planSource(source, overrides);
  const files = out ? await writeExport(plan, source, out) : undefined;
  const apply = opts.save ? saveForReview(opts.save, source as LiveSource & { sandbox: boolean }, plan, opts, cmd) : undefined;
  if (opts.json) printJson(io, planToJson(plan, files));
  else {
    io.out(renderPlanText(plan, io.decorated));
    if (files)
      io.out(
        `\nWrote ${opts.out}: ${files.map((f) => relative(opts.out!, f) || f).join(", ")}.\nThe commands to create it, in order, are in ${join(opts.out!, "README.md")}.`,
      );
    if (apply) io.out(`\nSaved the plan to ${opts.save}. Review it, then apply exactly this with:\n  ${apply}`);
  }
}

/** `--save FILE`: the plan with what it was based on, for review; returns the command that applies it. */
function saveForReview(file: string, source: LiveSource & { sandbox: boolean }, plan: MigrationPlan, opts: PlanCommandOptions, cmd: Command): string {
  const overrides = overridesFrom(opts);
  const saved = savePlan({
    target: workspaceFields(source.workspace),
    service: plan.service.name,
    basedOn: basisOf(source, plan),
    choices: {
      overrides,
      ...(opts.codeDir ? { codeDir: resolve(opts.codeDir) } : {}),
      ...(source.into ? { into: workspaceFields(source.into) } : {}),
    },
    plan,
  });
  const apply = commandLineOf(cmd, { sandbox: source.sandbox })(`migrate --plan ${quote([file])} --yes`);
  writeAtomically(resolve(file), savedPlanText(saved, apply), 0o644);
  return apply;
}

interface PlanCommandOptions extends OverrideFlags, LiveServiceFlags, TargetFlags {
  codeDir?: string;
  out?: string;
  save?: string;
  json?: boolean;
}

async function loadFromFiles(opts: PlanCommandOptions): Promise<PlannedSource> {
  const service = await loadServiceFromFiles(opts);
  const scoringScript = service.entryScript ?? "score.py";
  const folder =
    opts.codeDir ?? (opts.inferenceConfig && service.sourceDirectory ? resolve(dirname(resolve(opts.inferenceConfig)), service.sourceDirectory) : undefined);
  return { service, code: folder ? await (await codeSnapshot()).readCodeFolder(folder, scoringScript) : undefined };
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

async function loadServiceFromWorkspace(opts: PlanCommandOptions, cmd: Command, connect: Connect): Promise<LiveSource & { sandbox: boolean }> {
  const { session, ws, doc, service, adapter } = await openLiveService(opts, cmd, connect);
  try {
    const into = opts.targetWorkspace
      ? await (await import("../find-workspace.js")).findWorkspace(session.conn, opts.targetWorkspace, opts.targetSubscription, opts.targetResourceGroup)
      : undefined;
    const source = await readLiveSource(adapter, ws, { doc, service }, overridesFrom(opts), {
      codeDir: opts.codeDir,
      modelCopies: Boolean(opts.out),
      ...(into && !sameWorkspace(into, ws) ? { into } : {}),
    });
    return { ...source, sandbox: session.sandbox };
  } finally {
    await session.close();
  }
}
