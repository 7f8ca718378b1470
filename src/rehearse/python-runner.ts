import { relative, sep } from "node:path";
import type { RehearsalVerdict, ScriptFrame } from "../domain/rehearsal.js";
import { HarnessProcess, type HarnessCrash } from "../python/harness-process.js";
import { asInContainer, type Layout } from "./layout.js";

/** The variables of this process a script may need to start (no credentials, no Azure settings of the user's). */
const PASSED_THROUGH = ["PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TEMP", "TMP", "SYSTEMROOT"];

export interface RunOptions {
  readonly bodies: readonly string[];
  /** How long init() and then each run() may take. */
  readonly initTimeoutMs: number;
  readonly runTimeoutMs: number;
  readonly signal?: AbortSignal;
  /** Each line the script prints, as it prints it. */
  readonly onOutput?: (line: string) => void;
}

export interface ScriptRun {
  /** A crash or a stop, when there was one; else the answers, one per body. */
  readonly verdict?: RehearsalVerdict;
  readonly answers: readonly { status: number; body: string }[];
  /** The script's last lines of output, paths as in the container. */
  readonly output: readonly string[];
}

const TIMED_OUT = Symbol("timed out");
function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<typeof TIMED_OUT>((r) => (timer = setTimeout(() => r(TIMED_OUT), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * Runs the scoring script with an interpreter through the harness, in the layout's working directory with the
 * layout's environment: init(), then each body to run(). Stops at the first crash, a timeout, or the signal.
 */
export async function runScript(python: string, layout: Layout, o: RunOptions): Promise<ScriptRun> {
  const env: Record<string, string> = { PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1" };
  for (const k of PASSED_THROUGH) if (process.env[k] !== undefined) env[k] = process.env[k]!;
  Object.assign(env, layout.env);
  const p = new HarnessProcess(python, { cwd: layout.cwd, env, rewrite: (t) => asInContainer(layout, t), onOutput: o.onOutput });
  const abort = () => p.close();
  o.signal?.addEventListener("abort", abort, { once: true });
  const answers: { status: number; body: string }[] = [];
  const result = (verdict?: RehearsalVerdict): ScriptRun => ({ ...(verdict ? { verdict } : {}), answers, output: p.lines() });
  try {
    const start = await within(p.started, o.initTimeoutMs);
    if (start === TIMED_OUT) return result(timedOut("init", p.lines()));
    if (start.kind === "crashed") return result(crashed(start.crash, layout));
    if (start.kind === "ended") {
      return result({
        kind: "not-judged",
        why: `${python} ended before init() returned (${start.why}): ${p.lines().slice(-3).join(" ")}`,
        next: "Check that the interpreter runs (or name another with --python PATH).",
      });
    }
    for (const body of o.bodies) {
      const answer = await within(p.score(body), o.runTimeoutMs).catch((e: Error) => e);
      if (answer === TIMED_OUT) return result(timedOut("run", p.lines()));
      if (answer instanceof Error)
        return result({ kind: "not-judged", why: `the script's process ended while it scored: ${answer.message}`, next: "Read the output above." });
      if (answer.crash) return result(crashed(answer.crash, layout));
      answers.push({ status: answer.status, body: answer.body });
    }
    return result();
  } finally {
    o.signal?.removeEventListener("abort", abort);
    p.close();
  }
}

function timedOut(phase: "init" | "run", output: readonly string[]): RehearsalVerdict {
  return { kind: "crashed", phase, exception: "TimeoutError", message: `${phase}() did not return in time`, traceback: output.slice(-20) };
}

function crashed(c: HarnessCrash, layout: Layout): RehearsalVerdict {
  const frame = userFrame(c.frames, layout);
  return {
    kind: "crashed",
    phase: c.phase,
    exception: c.type,
    message: c.message,
    ...(frame ? { frame } : {}),
    traceback: c.traceback.flatMap((t) => t.replace(/\n$/, "").split("\n")),
  };
}

/** The innermost frame of the traceback that is in the user's code folder, its path relative to it. */
function userFrame(frames: readonly { file: string; line: number; function: string; code: string }[], layout: Layout): ScriptFrame | undefined {
  const inCode = frames.filter((f) => f.file.startsWith(`${layout.containerCodeDir}/`) || f.file.startsWith(layout.codeDir + sep));
  const f = inCode.at(-1);
  if (!f) return undefined;
  const file = f.file.startsWith(layout.containerCodeDir)
    ? f.file.slice(layout.containerCodeDir.length + 1)
    : relative(layout.codeDir, f.file).split(sep).join("/");
  return { file, line: f.line, function: f.function, ...(f.code ? { code: f.code } : {}) };
}
