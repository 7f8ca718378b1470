import { existsSync, rmSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { HarnessProcess, type HarnessCrash } from "../python/harness-process.js";

/** Microsoft's Debian interpreter, called by its path (a `python3` on PATH may be another one). */
export const SANDBOX_PYTHON = "/usr/bin/python3";

/** A container's files and settings, relative to a root that stands for its `/`; `{root}` in a value is that folder. */
export interface ContainerLayout {
  readonly files: readonly { readonly path: string; readonly bytes: Buffer }[];
  /** The working directory, relative to the root. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

export type ContainerStart =
  { readonly kind: "started" } | { readonly kind: "crashed"; readonly crash: HarnessCrash | undefined; readonly lines: readonly string[] };

export type ContainerAnswer = { readonly status: number; readonly body: string; readonly crash?: HarnessCrash };

interface Running {
  /** Set once the container's files are written and the interpreter starts. */
  process?: HarnessProcess;
  readonly root: string;
  started: Promise<ContainerStart>;
  idle?: NodeJS.Timeout;
}

/** How long a container with no requests keeps its interpreter (a new request starts it again). */
const IDLE_MS = 20_000;

/**
 * The sandbox's running containers: for an ACI service (in v1's layout) and for a managed deployment (in the
 * managed layout), the scoring script served by a real interpreter through the harness, so old and new answer from
 * two runs of the script rather than from a formula. A container starts on its first request (or its deployment's
 * PUT), stops after a while without requests, and all stop with the sandbox. Paths in its output read as in the
 * container.
 */
export class ScriptContainers {
  private readonly running = new Map<string, Running>();
  private count = 0;

  constructor(readonly python: string = SANDBOX_PYTHON) {}

  /** Whether scripts can be run here at all (the interpreter exists). */
  get available(): boolean {
    return existsSync(this.python);
  }

  /** The container under `key`, started from `layout` if it is not running; resolves when init() has ended. */
  start(key: string, layout: () => Promise<ContainerLayout>): Promise<ContainerStart> {
    return this.container(key, layout).started;
  }

  /** One request to the container's run() (starting it first if need be). */
  async score(key: string, layout: () => Promise<ContainerLayout>, body: string): Promise<ContainerAnswer | ContainerStart> {
    const c = this.container(key, layout);
    const started = await c.started;
    if (started.kind !== "started") return started;
    this.touch(key, c);
    const p = c.process!;
    return p.score(body).catch((e: Error) => ({ kind: "crashed" as const, crash: undefined, lines: [...p.lines(), e.message] }));
  }

  /** Stops every container and removes its files (the sandbox is stopping). */
  close(): void {
    for (const [key, c] of this.running) this.stop(key, c, true);
  }

  private container(key: string, layout: () => Promise<ContainerLayout>): Running {
    const known = this.running.get(key);
    if (known && (!known.process || known.process.alive)) return known;
    const root = join(tmpdir(), `aci-migrate-container-${process.pid}-${(this.count++).toString(36)}-${Date.now().toString(36)}`);
    const running: Running = { root, started: Promise.resolve({ kind: "started" }) };
    running.started = (async (): Promise<ContainerStart> => {
      const spec = await layout();
      const env = Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, v.split("{root}").join(root)]));
      await place(root, spec.files);
      const cwd = join(root, spec.cwd);
      await mkdir(cwd, { recursive: true });
      const p = new HarnessProcess(this.python, {
        cwd,
        env: { PATH: "/usr/bin:/bin", PYTHONDONTWRITEBYTECODE: "1", ...env },
        rewrite: (text) => text.split(root).join(""),
      });
      running.process = p;
      const s = await p.started;
      this.touch(key, running);
      return s.kind === "started" ? s : { kind: "crashed", crash: s.kind === "crashed" ? s.crash : undefined, lines: p.lines() };
    })();
    this.running.set(key, running);
    return running;
  }

  private touch(key: string, c: Running): void {
    clearTimeout(c.idle);
    c.idle = setTimeout(() => this.stop(key, c, false), IDLE_MS);
    c.idle.unref();
  }

  private stop(key: string, c: Running, now: boolean): void {
    clearTimeout(c.idle);
    if (this.running.get(key) === c) this.running.delete(key);
    c.process?.close();
    if (now) rmSync(c.root, { recursive: true, force: true });
    else void rm(c.root, { recursive: true, force: true });
  }
}

/** Writes files under `root`, refusing any path that would leave it. */
async function place(root: string, files: ContainerLayout["files"]): Promise<void> {
  for (const f of files) {
    const target = resolve(root, f.path);
    if (relative(root, target).startsWith("..")) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.bytes);
  }
}
