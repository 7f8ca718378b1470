import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { lastException } from "../domain/python-crash.js";
import type { RehearsalJob, RehearsalOptions, RehearsalRunner, RehearsalVerdict, ScriptFrame } from "../domain/rehearsal.js";
import { buildCommand, buildContext, dockerfile, exec, runCommand, SERVER_PORT, type ImageSpec } from "./docker.js";
import type { Layout } from "./layout.js";

const START_TIMEOUT_MS = 310_000;

/**
 * The rehearsal in a container, as `az ml online-deployment create --local` runs one: the environment's image
 * built with its conda file, the code and model mounted where Azure mounts them, the inference server started, the
 * sample sent to its /score over HTTP, and the container removed. Its verdict is the server's own answer.
 */
export async function runInContainer(
  engine: string,
  job: RehearsalJob,
  layout: Layout,
  o: RehearsalOptions,
): Promise<{ runner: RehearsalRunner; verdict: RehearsalVerdict }> {
  const say = (m: string) => o.onProgress?.(m);
  const spec: ImageSpec = {
    image: job.environment.image!,
    conda: job.environment.conda,
    tag: `aci-migrate-rehearsal:${createHash("sha256")
      .update(JSON.stringify([job.environment.image, job.environment.conda]))
      .digest("hex")
      .slice(0, 16)}`,
  };
  const runner: RehearsalRunner = { kind: "docker", description: `${engine} with the environment's image (${spec.image})`, judgedServer: true };
  const context = join(dirname(layout.root), "docker");
  await mkdir(context, { recursive: true });
  await writeFile(join(context, "Dockerfile"), dockerfile(spec, layout));
  for (const [name, text] of Object.entries(buildContext(spec))) await writeFile(join(context, name), text);
  say(`building the environment's image with ${engine} (${spec.tag})`);
  const [cmd, ...args] = buildCommand(engine, spec, context);
  const built = await exec(cmd!, args, o.signal);
  if (built.code !== 0) {
    return {
      runner,
      verdict: {
        kind: "not-judged",
        why: `the environment's image did not build: ${built.out.trim().split("\n").slice(-3).join(" ")}`,
        next: "Fix the environment's image or conda file, or rehearse with --runner venv.",
      },
    };
  }
  const name = `aci-migrate-rehearsal-${process.pid}-${Date.now()}`;
  const [runCmd, ...runArgs] = runCommand(engine, spec, layout, name);
  say("starting the inference server in the container");
  const started = await exec(runCmd!, runArgs, o.signal);
  if (started.code !== 0)
    return {
      runner,
      verdict: { kind: "not-judged", why: `${engine} run failed: ${started.out.trim()}`, next: "Check that the engine can run containers here." },
    };
  try {
    const port = /:(\d+)\s*$/m.exec((await exec(engine, ["port", name, String(SERVER_PORT)])).out)?.[1];
    const base = `http://127.0.0.1:${port}`;
    const up = await untilHealthy(base, engine, name, o.signal);
    const logs = async () => (await exec(engine, ["logs", name])).out.split("\n");
    if (!up) return { runner, verdict: crashFromLogs(await logs(), layout) };
    say("scoring the sample on the inference server");
    const answer = await fetch(`${base}/score`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof job.sample.body === "string" ? job.sample.body : JSON.stringify(job.sample.body),
      signal: AbortSignal.timeout(job.requestTimeoutMs + 5000),
    });
    const text = await answer.text();
    if (answer.status === 500 && answer.headers.get("x-ms-run-function-failed")) return { runner, verdict: crashFromLogs(await logs(), layout, "run") };
    if (answer.status !== 200) return { runner, verdict: { kind: "refused", status: answer.status, body: text } };
    return { runner, verdict: { kind: "passed", answer: parse(text), comparedWithV1: false } };
  } finally {
    await exec(engine, ["rm", "--force", name]).catch(() => undefined);
  }
}

/** Polls the server's liveness route (GET /) until it answers, the container stops, or the start-up time is up. */
async function untilHealthy(base: string, engine: string, name: string, signal?: AbortSignal): Promise<boolean> {
  const end = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < end && !signal?.aborted) {
    const ok = await fetch(`${base}/`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    const running = (await exec(engine, ["inspect", "--format", "{{.State.Running}}", name])).out.trim();
    if (running !== "true") return false;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}

/** A crash as the server's log tells it: the last exception, and the last frame in the code folder. */
export function crashFromLogs(lines: readonly string[], layout: Layout, phase: "init" | "run" = "init"): RehearsalVerdict {
  const e = lastException(lines) ?? { type: "Error", message: "the container stopped before it answered" };
  let frame: ScriptFrame | undefined;
  for (const [i, l] of lines.entries()) {
    const m = /File "([^"]+)", line (\d+), in (\S+)/.exec(l);
    if (m && m[1]!.startsWith(`${layout.containerCodeDir}/`)) {
      frame = { file: m[1]!.slice(layout.containerCodeDir.length + 1), line: Number(m[2]), function: m[3]!, code: lines[i + 1]?.trim() };
    }
  }
  return { kind: "crashed", phase, exception: e.type, message: e.message, ...(frame ? { frame } : {}), traceback: lines.slice(-30) };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
