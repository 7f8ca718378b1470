import { existsSync, statSync } from "node:fs";
import { cp, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { UserFixableError } from "../../domain/errors.js";
import { buildPlan, type MigrationPlan } from "../../domain/plan.js";
import { REHEARSAL_BLOCKERS, type RehearsalJob, type RehearsalOutcome } from "../../domain/rehearsal.js";
import { applyEdits } from "../../domain/script-habits.js";
import { isImageBased, type V1Service } from "../../domain/v1-service.js";
import { EXIT } from "../../journey/exit-codes.js";
import { renderRehearsalText } from "../../journey/text/rehearsal-text.js";
import type { CodeSource } from "../../migration/port.js";
import { rehearsalJob } from "../../migration/rehearsal-job.js";
import { sampleRequest } from "../../migration/sample-request.js";
import { checkScoringScript, scanScript, servicePackages } from "../../migration/script-check.js";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { loadServiceFromFiles } from "../load-service.js";
import { openLiveService, type LiveServiceFlags } from "../live-service.js";
import { localRehearser } from "../local-rehearser.js";
import { optionsOf } from "../options.js";
import { overridesFrom, type OverrideFlags } from "../plan-override-options.js";
import { planWithFlags } from "../plan-with-flags.js";
import type { RehearsalFlags } from "../rehearsal-options.js";
import { printJson } from "../render/json-output.js";
import { planToJson } from "../render/plan-json.js";
import { readSample } from "../read-sample.js";
import { stateDirOf } from "../state-dir-option.js";

interface RehearseOptions extends OverrideFlags, RehearsalFlags, LiveServiceFlags {
  codeDir?: string;
  modelDir?: string;
  sampleRequest?: string;
  json?: boolean;
}

/**
 * `aci-migrate rehearse`: the service run on this machine in the managed layout, its verdict printed (and, under
 * --json, the plan with the rehearsal's findings). Exit 1 when the verdict is a blocker.
 */
export async function runRehearse(io: CommandIo, connect: Connect, _local: unknown, cmd: Command): Promise<void> {
  const opts = optionsOf<RehearseOptions>(cmd);
  for (const [flag, dir] of [
    ["--code-dir", opts.codeDir],
    ["--model-dir", opts.modelDir],
  ] as const) {
    if (dir && !(existsSync(dir) && statSync(dir).isDirectory())) {
      throw new UserFixableError(`${flag} ${dir} is not a folder.`, { nextStep: `Point ${flag} at a folder.`, source: dir, kind: "input" });
    }
  }
  if (opts.python && !existsSync(opts.python)) {
    throw new UserFixableError(`--python ${opts.python} does not exist.`, {
      nextStep: "Name a Python 3 interpreter by its path (e.g. $(command -v python3)).",
      kind: "input",
    });
  }
  const sample = opts.sampleRequest ? await readSample(opts.sampleRequest) : undefined;
  const stateDir = stateDirOf(cmd);
  const live = opts.service || opts.workspace ? await liveJob(opts, cmd, connect, sample) : await offlineJob(opts, sample);
  // Ctrl+C (or SIGTERM) stops the script and the environment's build, and removes the rehearsal's folder.
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    const rehearser = localRehearser(stateDir);
    const progress = opts.json ? undefined : (m: string) => io.out(`  · ${m}`);
    if (!opts.json) io.out(`Rehearsing ${live.plan.service.name} on this machine in the managed layout…`);
    const outcome = await rehearser.rehearse(live.job, { runner: opts.runner ?? "auto", python: opts.python, onProgress: progress, signal: controller.signal });
    if (controller.signal.aborted) {
      io.err("Rehearsal stopped; nothing was kept.");
      process.exitCode = EXIT.cancelled;
      return;
    }
    const plan = buildPlan(live.service, overridesFrom(opts), live.scan, undefined, outcome);
    if (opts.json) printJson(io, { ...planToJson(plan), rehearsed: outcomeJson(outcome) });
    else io.out(`\n${renderRehearsalText(outcome, io.decorated)}`);
    process.exitCode = blocks(plan) ? EXIT.failed : EXIT.done;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await live.close();
  }
}

/** Whether the rehearsal's own verdict blocks the plan (other blockers are the plan's business). */
function blocks(plan: MigrationPlan): boolean {
  return plan.blockers.some((b) => (REHEARSAL_BLOCKERS as readonly string[]).includes(b));
}

function outcomeJson(o: RehearsalOutcome): Record<string, unknown> {
  return { runner: o.runner, verdict: o.verdict, sample: o.sample, notes: o.notes };
}

interface Prepared {
  readonly service: V1Service;
  readonly plan: MigrationPlan;
  readonly scan: Awaited<ReturnType<typeof scanScript>> | undefined;
  readonly job: RehearsalJob;
  close(): Promise<void>;
}

async function liveJob(opts: RehearseOptions, cmd: Command, connect: Connect, given: unknown): Promise<Prepared> {
  const { session, ws, doc, service, adapter: port } = await openLiveService(opts, cmd, connect);
  try {
    const overrides = overridesFrom(opts);
    const unchecked = planWithFlags(service, overrides);
    const codeDir = opts.codeDir ? resolve(opts.codeDir) : undefined;
    const base: CodeSource | undefined =
      isImageBased(service) && !codeDir
        ? undefined
        : codeDir
          ? { kind: "folder", path: codeDir, scoringScript: unchecked.code.scoringScript ?? "score.py" }
          : { kind: "snapshot", service: doc };
    const scan = base ? await checkScoringScript(port, ws, service, base, overrides.environment) : undefined;
    const plan = planWithFlags(service, overrides, scan);
    const code = base && plan.script.editsAccepted && plan.script.file ? { ...base, edits: { file: plan.script.file, edits: plan.script.edits } } : base;
    const job = await rehearsalJob({ port, ws, service, doc, plan, code, sampleRequest: given });
    return { service, plan, scan, job, close: () => session.close() };
  } catch (e) {
    await session.close();
    throw e;
  }
}

async function offlineJob(opts: RehearseOptions, given: unknown): Promise<Prepared> {
  if (opts.environment) {
    throw new UserFixableError("--environment names a registered environment, which a rehearsal from files cannot read.", {
      why: "Offline, the environment is the one the service's files define.",
      nextStep: "Rehearse the service from its workspace (-w WORKSPACE --service NAME --environment NAME:VERSION), or drop --environment.",
      kind: "input",
    });
  }
  const service = await loadServiceFromFiles(opts);
  const overrides = overridesFrom(opts);
  const scoringScript = service.entryScript ?? "score.py";
  const codeDir =
    opts.codeDir ?? (opts.inferenceConfig && service.sourceDirectory ? resolve(dirname(resolve(opts.inferenceConfig)), service.sourceDirectory) : undefined);
  if (!codeDir) {
    throw new UserFixableError("The scoring code is not at hand: a service file carries no code.", {
      nextStep: "Pass the scoring code folder with --code-dir DIR, or rehearse the service from its workspace (-w WORKSPACE --service NAME).",
      kind: "input",
    });
  }
  const script = resolve(codeDir, scoringScript);
  const text = existsSync(script) ? await readFile(script, "utf8") : undefined;
  if (text === undefined) {
    throw new UserFixableError(`The code folder ${codeDir} has no ${scoringScript}.`, {
      nextStep: "Point --code-dir at the folder that holds the scoring script.",
      kind: "input",
    });
  }
  const scan = await scanScript(service, text);
  const plan = planWithFlags(service, overrides, scan);
  const model = plan.model;
  const job: RehearsalJob = {
    service: service.name,
    layout: {
      codeFolder: `${service.name}-code`,
      scoringScript,
      modelFolder: model.kind === "registered" ? `${model.name}/${model.version}` : model.kind === "combined" ? `${model.name}/1` : "model/1",
      environmentVariables: plan.environmentVariables,
    },
    placeCode: async (dir) => {
      await cp(codeDir, dir, { recursive: true, dereference: true });
      if (plan.script.editsAccepted) {
        await writeFile(resolve(dir, scoringScript), applyEdits(text, plan.script.edits).text);
      }
    },
    placeModel: async (dir, say) => {
      if (!opts.modelDir) return say("no model files given (--model-dir DIR): AZUREML_MODEL_DIR is an empty folder");
      await cp(resolve(opts.modelDir), dir, { recursive: true, dereference: true });
    },
    environment: {
      conda: service.environment?.userManagedDependencies ? undefined : service.environment?.condaDependencies,
      image: service.environment?.baseImage,
      packages: servicePackages(service),
    },
    sample: await sampleRequest({ sampleRequest: given }),
    requestTimeoutMs: plan.requestTimeoutMs,
  };
  return { service, plan, scan, job, close: async () => undefined };
}
