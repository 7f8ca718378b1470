import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";

/** Microsoft's Debian interpreter, called by its path (a `python3` on PATH may be another one). */
export const SANDBOX_PYTHON = "/usr/bin/python3";
/** Where a managed deployment's container has its code and models (the paths its logs and tracebacks show). */
const APP_ROOT = "/var/azureml-app";
const INIT_TIMEOUT_MS = 20_000;

export interface ContainerFiles {
  /** Code files relative to the code folder; undefined for a custom container (its image carries the code). */
  readonly code?: readonly { path: string; bytes: Buffer }[];
  readonly scoringScript: string;
  /** Model files relative to `$AZUREML_MODEL_DIR`. */
  readonly model: readonly { path: string; bytes: Buffer }[];
  /** `name/version`: the model's folder under azureml-models, as Azure names it. */
  readonly modelFolder: string;
  readonly environmentVariables: Readonly<Record<string, string>>;
  /** The conda and pip packages the environment installs (the sandbox's interpreter has only the standard library). */
  readonly environmentPackages: readonly string[];
}

export type InitResult =
  | { readonly kind: "started"; readonly lines: string[] }
  | { readonly kind: "crashed"; readonly lines: string[]; readonly reason: string }
  /** The sandbox cannot stand in for the container here (no interpreter): it says so and lets the deployment start. */
  | { readonly kind: "not-run"; readonly lines: string[] };

/**
 * Stands in for the inference server's start: lays out the code and the model as a managed deployment does
 * (`/var/azureml-app/online/…`, `$AZUREML_MODEL_DIR` = `/var/azureml-app/azureml-models/{name}/{version}`), then
 * imports the scoring script and calls its `init()` in a real Python interpreter. What the script does there is
 * Python's judgement, not aci-migrate's: a v1 path that does not exist on the new layout fails with Python's own
 * FileNotFoundError. Paths in the output read as they would in the container.
 */
export async function runScoringInit(files: ContainerFiles, python = SANDBOX_PYTHON): Promise<InitResult> {
  if (!files.code) return { kind: "not-run", lines: ["(custom container: its image's own server starts; the sandbox does not run images)"] };
  if (!existsSync(python)) {
    return {
      kind: "not-run",
      lines: [`(the sandbox cannot run init(): ${python} is not installed here, so the scoring script was not tried; on Azure it runs at this point)`],
    };
  }
  const root = await mkdtemp(join(tmpdir(), "aci-migrate-container-"));
  try {
    const app = join(root, APP_ROOT.slice(1));
    const codeDir = join(app, "online");
    const modelDir = join(app, "azureml-models", files.modelFolder);
    await mkdir(codeDir, { recursive: true });
    await mkdir(modelDir, { recursive: true });
    await place(codeDir, files.code);
    await place(modelDir, files.model);
    const script = join(codeDir, files.scoringScript);
    const env = {
      PATH: "/usr/bin:/bin",
      ...files.environmentVariables,
      AZUREML_MODEL_DIR: modelDir,
      AZUREML_ENTRY_SCRIPT: files.scoringScript,
      PYTHONDONTWRITEBYTECODE: "1",
    };
    const { code, output } = await runPython(python, [HARNESS, script], codeDir, env);
    const lines = output
      .split(root)
      .join("")
      .split("\n")
      .filter((l, i, all) => l !== "" || i < all.length - 1);
    if (code === 0) return { kind: "started", lines };
    const missing = lines
      .find((l) => l.startsWith(MISSING_MODULE))
      ?.slice(MISSING_MODULE.length)
      .trim();
    if (missing !== undefined) {
      const kept = lines.filter((l) => !l.startsWith(MISSING_MODULE));
      if (mayInstall(files.environmentPackages, missing)) {
        return {
          kind: "not-run",
          lines: [
            `(init() needs the module ${missing}, which the environment installs and the sandbox's Python does not have: the script could not be judged past that import; on Azure it runs on)`,
          ],
        };
      }
      return { kind: "crashed", lines: kept, reason: kept.at(-1) ?? `ModuleNotFoundError: No module named '${missing}'` };
    }
    const last = [...lines].reverse().find((l) => /^\S+(Error|Exception)\b/.test(l)) ?? lines.at(-1) ?? `exit code ${code}`;
    return { kind: "crashed", lines, reason: last };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Whether the environment could provide a module the sandbox's interpreter lacks: the v1 SDK (`azureml.*`) only
 * with azureml-core or azureml-defaults (which pulls it in); anything else with any package beyond Python itself,
 * since a package's import name cannot be told from its distribution name.
 */
function mayInstall(packages: readonly string[], module: string): boolean {
  if (module === "azureml") return packages.some((p) => p === "azureml-core" || p === "azureml-defaults");
  return packages.some((p) => p !== "python" && p !== "pip" && !p.startsWith("azureml-"));
}

/** Writes files under `dir`, refusing any path that would leave it. */
async function place(dir: string, files: readonly { path: string; bytes: Buffer }[]): Promise<void> {
  for (const f of files) {
    const target = resolve(dir, f.path);
    if (relative(dir, target).startsWith("..")) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.bytes);
  }
}

function runPython(python: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(python, ["-I", "-c", ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"], timeout: INIT_TIMEOUT_MS });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    child.on("error", (e) => done({ code: 1, output: `OSError: ${e.message}\n` }));
    child.on("close", (code, signal) =>
      done({
        code: code ?? 1,
        output: Buffer.concat(chunks).toString("utf8") + (signal ? `TimeoutError: init() did not return within ${INIT_TIMEOUT_MS / 1000} s\n` : ""),
      }),
    );
  });
}

/**
 * What azmlinfsrv does before serving, reduced to the part a script can fail: import the entry script from its
 * folder and call init(). The traceback is Python's own.
 */
const MISSING_MODULE = "__aci_migrate_sandbox_missing_module__ ";
const HARNESS = `
import importlib.util, os, sys, traceback
script = sys.argv[1]
sys.path.insert(0, os.path.dirname(script))
try:
    spec = importlib.util.spec_from_file_location("entry_script", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if hasattr(module, "init"):
        module.init()
except ModuleNotFoundError as e:
    traceback.print_exc()
    print("${MISSING_MODULE}" + (e.name or "").split(".")[0])
    sys.exit(3)
`;
