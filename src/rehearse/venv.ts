import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { PipRequirements } from "../domain/environment-requirements.js";

/** The file a finished build leaves: an environment without it was stopped half-way and is built again. */
const READY = "aci-migrate-ready.json";
/** pip's settings that change what an install gets (a local wheel folder, another index): part of the cache key. */
const PIP_SETTINGS = ["PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_NO_INDEX", "PIP_CONFIG_FILE"];

export type VenvBuild =
  | { readonly ok: true; readonly python: string; readonly reused: boolean; readonly packages: number }
  | { readonly ok: false; readonly why: string; readonly words: readonly string[] };

export interface VenvOptions {
  /** The state directory: environments are kept in its `environments/`, one folder per content hash. */
  readonly stateDir: string;
  /** The interpreter the environment is made from. */
  readonly basePython: string;
  readonly requirements: PipRequirements;
  readonly onProgress?: (line: string) => void;
  readonly signal?: AbortSignal;
}

/**
 * A virtual environment with the environment's pip requirements, made once per content (the interpreter, the
 * requirements and pip's own settings) and reused after: `python -m venv`, then `pip install`, whose output is
 * passed on line by line. Built in a folder of its own and renamed when done, so a build stopped half-way is never
 * taken for a finished one. When pip cannot install something, pip's own words say why.
 */
export async function ensureVirtualEnvironment(o: VenvOptions): Promise<VenvBuild> {
  const key = createHash("sha256")
    .update(JSON.stringify({ python: o.basePython, requirements: [...o.requirements.requirements].sort(), pip: PIP_SETTINGS.map((k) => process.env[k] ?? "") }))
    .digest("hex")
    .slice(0, 16);
  const root = join(o.stateDir, "environments");
  const dir = join(root, key);
  const python = join(dir, "bin", "python");
  if (existsSync(join(dir, READY)) && existsSync(python)) {
    const packages = (JSON.parse(await readFile(join(dir, READY), "utf8")) as { packages: number }).packages;
    return { ok: true, python, reused: true, packages };
  }
  await mkdir(root, { recursive: true, mode: 0o700 });
  const building = `${dir}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  try {
    o.onProgress?.(`creating a virtual environment from ${o.basePython}`);
    const made = await run(o.basePython, ["-m", "venv", building], o);
    if (made.code !== 0) return { ok: false, why: `${o.basePython} -m venv failed`, words: lastWords(made.lines) };
    const reqs = o.requirements.requirements;
    if (reqs.length) {
      o.onProgress?.(`installing ${reqs.length} package${reqs.length === 1 ? "" : "s"} with pip: ${reqs.join(", ")}`);
      const pip = await run(
        join(building, "bin", "python"),
        ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--progress-bar", "off", "--retries", "1", "--timeout", "20", ...reqs],
        o,
      );
      if (pip.code !== 0) return { ok: false, why: "pip could not install the environment's packages here", words: lastWords(pip.lines) };
    }
    await writeFile(join(building, READY), JSON.stringify({ packages: reqs.length, requirements: reqs }));
    await rm(dir, { recursive: true, force: true });
    await rename(building, dir);
    return { ok: true, python, reused: false, packages: reqs.length };
  } finally {
    await rm(building, { recursive: true, force: true });
  }
}

/** The lines of pip's output worth a person's eye while it works: what it fetches and installs, and its errors. */
const PIP_PROGRESS = /^\s*(Collecting|Downloading|Processing|Installing collected|Successfully|ERROR)/;

/** pip's own account of a failure: its ERROR lines, else the last lines it printed. */
function lastWords(lines: readonly string[]): string[] {
  const errors = lines.filter((l) => /^ERROR:|error:/i.test(l.trim()));
  return (errors.length ? errors : lines.filter((l) => l.trim()).slice(-5)).slice(-5);
}

function run(command: string, args: string[], o: VenvOptions): Promise<{ code: number; lines: string[] }> {
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PIP_NO_COLOR: "1" } });
    const lines: string[] = [];
    let partial = "";
    const onText = (chunk: Buffer) => {
      const parts = (partial + chunk.toString("utf8")).split(/\r?\n/);
      partial = parts.pop() ?? "";
      for (const l of parts) {
        lines.push(l);
        if (lines.length > 400) lines.shift();
        if (PIP_PROGRESS.test(l)) o.onProgress?.(l.trim());
      }
    };
    child.stdout.on("data", onText);
    child.stderr.on("data", onText);
    const abort = () => child.kill("SIGTERM");
    o.signal?.addEventListener("abort", abort, { once: true });
    child.on("error", (e) => lines.push(`${command}: ${e.message}`));
    child.on("close", (code) => {
      o.signal?.removeEventListener("abort", abort);
      if (partial) lines.push(partial);
      done({ code: code ?? 1, lines });
    });
  });
}
