import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { delimiter, dirname, join, resolve } from "node:path";
import { firstDifference } from "../domain/compare-answers.js";
import { isProcessAlive } from "../fs/process-alive.js";
import { installsV1Sdk, mayProvideModule } from "../domain/environment-packages.js";
import { pipRequirements } from "../domain/environment-requirements.js";
import { V1_SDK_FILES } from "../domain/v1-sdk-stand-in.js";
import type { RehearsalJob, RehearsalOptions, RehearsalOutcome, RehearsalRunner, RehearsalVerdict } from "../domain/rehearsal.js";
import { containerEngine } from "./docker.js";
import { runInContainer } from "./docker-runner.js";
import { layOut, type Layout } from "./layout.js";
import { runScript } from "./python-runner.js";
import { ensureVirtualEnvironment } from "./venv.js";

/** How long init() may take: about what the default probes give a slow start (10 s + 30 × 10 s). */
const INIT_TIMEOUT_MS = 310_000;

/**
 * Runs a service in the managed layout on this machine, with the best runner it has (Docker or Podman building the
 * environment's image; else a virtual environment built from its conda and pip dependencies; else an interpreter
 * as it is), scores the sample there and compares the answer with the v1 service's. Everything it writes is under
 * `<stateDir>/rehearsals/` (removed when it ends) and `<stateDir>/environments/` (kept: built once per content).
 */
export async function rehearse(job: RehearsalJob, stateDirGiven: string, o: RehearsalOptions): Promise<RehearsalOutcome> {
  // Every path the script sees is absolute: it runs in another working directory.
  const stateDir = resolve(stateDirGiven);
  const say = (m: string) => o.onProgress?.(m);
  const work = join(stateDir, "rehearsals");
  await mkdir(work, { recursive: true, mode: 0o700 });
  await sweepLeftovers(work);
  const dir = await mkdtemp(join(work, `${process.pid}-${job.service.slice(0, 40)}-`));
  const v1 = job.v1Answer?.().catch(() => undefined);
  try {
    const layout = await layOut(join(dir, "root"), job.layout);
    if (!job.placeCode && o.runner !== "docker") {
      return {
        service: job.service,
        runner: { kind: "python", description: "no runner", judgedServer: false },
        verdict: {
          kind: "not-judged",
          why: "the service runs from its own image (a custom container), which holds its scoring code; only a container engine can run it.",
          next: "Rehearse with --runner docker where Docker or Podman runs, or give the scoring code with --code-dir DIR.",
        },
        sample: job.sample.source,
        notes: [],
      };
    }
    say(`laying out the code in ${layout.containerCodeDir}`);
    await job.placeCode?.(layout.codeDir);
    say(`placing the model in ${layout.containerModelDir}`);
    await job.placeModel(layout.modelDir, say);
    const notes: string[] = [];
    const ran = await runWithBestRunner(job, layout, stateDir, o, notes);
    const verdict = ran.verdict.kind === "passed" ? await compared(ran.verdict.answer, v1) : ran.verdict;
    return { service: job.service, runner: ran.runner, verdict, sample: job.sample.source, notes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function compared(answer: unknown, v1: Promise<{ status: number; body: unknown } | undefined> | undefined): Promise<RehearsalVerdict> {
  const old = await v1;
  if (!old || old.status !== 200) return { kind: "passed", answer, comparedWithV1: false };
  const difference = firstDifference(old.body, answer);
  return difference ? { kind: "differs", answer, v1Answer: old.body, difference } : { kind: "passed", answer, comparedWithV1: true };
}

interface Ran {
  readonly runner: RehearsalRunner;
  readonly verdict: RehearsalVerdict;
}

async function runWithBestRunner(job: RehearsalJob, layout: Layout, stateDir: string, o: RehearsalOptions, notes: string[]): Promise<Ran> {
  const say = (m: string) => o.onProgress?.(m);
  const image = job.environment.image;
  if (o.runner === "docker" || (o.runner === "auto" && !o.python && image)) {
    const engine = await containerEngine();
    if (engine && image) return runInContainer(engine, job, layout, o);
    if (o.runner === "docker") {
      return notJudged(
        { kind: "docker", description: "Docker", judgedServer: true },
        image ? "neither Docker nor Podman has a daemon running on this machine." : "the environment names no image to build.",
        "Start Docker (or Podman), or rehearse with --runner venv or --python PATH.",
      );
    }
  }
  const base = o.python ?? findPython();
  if (!base) {
    return notJudged(
      { kind: "python", description: "no Python", judgedServer: false },
      "no Python 3 interpreter was found on PATH.",
      "Install Python 3, or name one with --python PATH.",
    );
  }
  const requirements = job.environment.conda === undefined ? undefined : pipRequirements(job.environment.conda);
  const asked = requirements?.python;
  const have = asked ? await pythonVersion(base) : undefined;
  if (asked && have && !sameMinor(asked, have)) {
    notes.push(`the environment asks for Python ${asked}; ${base} is Python ${have} (name another with --python PATH)`);
  }
  if (requirements?.skipped.length) notes.push(`conda packages a virtual environment goes without: ${requirements.skipped.join(", ")}`);
  if ((o.runner === "venv" || (o.runner === "auto" && !o.python)) && requirements) {
    say(`building a virtual environment with the environment's ${requirements.requirements.length} packages`);
    const built = await ensureVirtualEnvironment({ stateDir, basePython: base, requirements, onProgress: say, signal: o.signal });
    if (built.ok) {
      const runner: RehearsalRunner = {
        kind: "venv",
        description: `a virtual environment of ${base} with the environment's ${built.packages} pip package${built.packages === 1 ? "" : "s"}${built.reused ? " (built earlier)" : ""}`,
        judgedServer: false,
      };
      return { runner, verdict: await runHarness(built.python, job, layout, o, false) };
    }
    const words = built.words.join(" ");
    if (o.runner === "venv") {
      return notJudged(
        { kind: "venv", description: "a virtual environment", judgedServer: false },
        `${built.why}: ${words}`,
        "Make the package index reachable (pip's own settings: PIP_INDEX_URL, or PIP_FIND_LINKS with a folder of wheels and PIP_NO_INDEX=1), or rehearse with an interpreter that has the packages (--python PATH) or with Docker.",
        built.words,
      );
    }
    notes.push(`the environment's packages could not be installed here (${words}); ran with ${base} as it is`);
  }
  const runner: RehearsalRunner = { kind: "python", description: `${base} as it is`, judgedServer: false };
  const packages = job.environment.packages ?? [];
  let run = layout;
  if (installsV1Sdk(packages)) {
    run = { ...layout, env: { ...layout.env, ACI_MIGRATE_FALLBACK_PATH: await placeV1SdkStandIn(layout) } };
    notes.push(
      "the environment installs azureml-core; where this interpreter has none, aci-migrate's stand-in answers Model.get_model_path as azureml-core searches (the rest of the v1 SDK is not there)",
    );
  }
  return { runner, verdict: await runHarness(base, job, run, o, true) };
}

/** The v1 SDK stand-in (domain/v1-sdk-stand-in.ts) beside the layout, found only after the interpreter's own packages. */
async function placeV1SdkStandIn(layout: Layout): Promise<string> {
  // Inside the layout, so its frames in a traceback read /opt/aci-migrate-v1-sdk/…, never as the user's code.
  const dir = join(layout.root, "opt", "aci-migrate-v1-sdk");
  for (const f of V1_SDK_FILES) {
    await mkdir(dirname(join(dir, f.path)), { recursive: true });
    await writeFile(join(dir, f.path), f.text);
  }
  return dir;
}

async function runHarness(python: string, job: RehearsalJob, layout: Layout, o: RehearsalOptions, asItIs: boolean): Promise<RehearsalVerdict> {
  o.onProgress?.("running init() and scoring the sample");
  const run = await runScript(python, layout, {
    bodies: [typeof job.sample.body === "string" ? job.sample.body : JSON.stringify(job.sample.body)],
    initTimeoutMs: INIT_TIMEOUT_MS,
    runTimeoutMs: job.requestTimeoutMs,
    signal: o.signal,
    onOutput: o.onOutput,
  });
  const { verdict, answers } = run;
  if (verdict?.kind === "crashed" && asItIs && verdict.exception === "ModuleNotFoundError") {
    const module = /No module named '([^'.]+)/.exec(verdict.message)?.[1] ?? "";
    if (mayProvideModule(job.environment.packages, module)) {
      return {
        kind: "not-judged",
        why: `the script imports ${module}, which the environment installs and ${python} does not have, so it could not be run past that import.`,
        next: "Rehearse with an interpreter that has the environment's packages (--python PATH), make the package index reachable for the virtual environment, or use Docker.",
      };
    }
  }
  if (verdict) return verdict;
  const answer = answers[0];
  if (!answer) {
    return {
      kind: "not-judged",
      why: `the script ended without an answer: ${run.output.slice(-3).join(" ") || "no output"}`,
      next: "Run it with `python -c 'import score'` to see what stops it.",
    };
  }
  if (answer.status !== 200) return { kind: "refused", status: answer.status, body: answer.body };
  return { kind: "passed", answer: parseAnswer(answer.body), comparedWithV1: false };
}

function parseAnswer(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function notJudged(runner: RehearsalRunner, why: string, next: string, detail?: readonly string[]): Ran {
  return { runner, verdict: { kind: "not-judged", why, next, ...(detail ? { detail } : {}) } };
}

/** Work folders of rehearsals whose process is gone (killed before it could remove them): named by its pid. */
async function sweepLeftovers(work: string): Promise<void> {
  for (const name of await readdir(work).catch(() => [])) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !isProcessAlive(pid)) await rm(join(work, name), { recursive: true, force: true });
  }
}

/** An interpreter's version (`3.11.2`), or undefined when it does not answer. */
function pythonVersion(python: string): Promise<string | undefined> {
  return new Promise((done) =>
    execFile(python, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], { timeout: 10_000 }, (error, stdout) =>
      done(error ? undefined : stdout.trim() || undefined),
    ),
  );
}

/** Whether two versions agree as far as the first of them says, up to the minor version (`3.8` and `3.8.13`). */
function sameMinor(asked: string, have: string): boolean {
  const a = asked.split(".").slice(0, 2);
  const h = have.split(".").slice(0, a.length);
  return a.join(".") === h.join(".");
}

/** `python3` from PATH, else Debian's /usr/bin/python3. */
export function findPython(): string | undefined {
  for (const d of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(d, "python3");
    if (d && existsSync(candidate)) return candidate;
  }
  return existsSync("/usr/bin/python3") ? "/usr/bin/python3" : undefined;
}
