import { installsV1Sdk, mayProvideModule } from "../domain/environment-packages.js";
import type { SandboxContext } from "./context.js";
import { managedLayout, type ContainerFile } from "./container-layouts.js";
import type { HarnessCrash } from "../python/harness-process.js";

export { SANDBOX_PYTHON } from "./script-containers.js";

export interface ContainerFiles {
  /** Code files relative to the code folder; undefined for a custom container (its image carries the code). */
  readonly code?: readonly ContainerFile[];
  /** The code folder's name under /var/azureml-app (the registered code's folder). */
  readonly codeFolder: string;
  readonly scoringScript: string;
  /** Model files relative to `$AZUREML_MODEL_DIR`. */
  readonly model: readonly ContainerFile[];
  /** `name/version`: the model's folder under azureml-models, as Azure names it. */
  readonly modelFolder: string;
  readonly environmentVariables: Readonly<Record<string, string>>;
  /** The conda and pip packages the environment installs (the sandbox's interpreter has only the standard library). */
  readonly environmentPackages: readonly string[];
  /** Model libraries the environment pins loosely: a newer release than the v1 image's (rebuilt-environment.ts). */
  readonly looseModelLibraries?: readonly string[];
}

export type InitResult =
  | { readonly kind: "started"; readonly lines: string[] }
  | { readonly kind: "crashed"; readonly lines: string[]; readonly reason: string }
  /** The sandbox cannot stand in for the container here (no interpreter, a package it lacks): it says so and lets the deployment start. */
  | { readonly kind: "not-run"; readonly lines: string[] };

/**
 * Stands in for the inference server's start: lays out the code and the model as a managed deployment does
 * (container-layouts.ts), then imports the scoring script and calls its `init()` in a real Python interpreter,
 * kept running for the deployment's scoring. What the script does there is Python's judgement, not aci-migrate's:
 * a v1 path that does not exist on the new layout fails with Python's own FileNotFoundError. Paths in the output
 * read as they would in the container.
 */
export async function startDeploymentContainer(ctx: SandboxContext, key: string, files: ContainerFiles): Promise<InitResult> {
  if (!files.code) return { kind: "not-run", lines: ["(custom container: its image's own server starts; the sandbox does not run images)"] };
  const containers = ctx.containers;
  if (!containers.available) {
    return {
      kind: "not-run",
      lines: [
        `(the sandbox cannot run init(): ${containers.python} is not installed here, so the scoring script was not tried; on Azure it runs at this point)`,
      ],
    };
  }
  const withV1Sdk = installsV1Sdk(files.environmentPackages);
  const started = await containers.start(key, async () => managedLayout({ ...files, code: files.code!, withV1Sdk }));
  if (started.kind === "started") return { kind: "started", lines: [] };
  return judged(started.crash, started.lines, files.environmentPackages);
}

/** A crash at start, told as the container's log would: unless it is only a package the sandbox's Python lacks. */
export function judged(crash: HarnessCrash | undefined, output: readonly string[], packages: readonly string[]): InitResult {
  const lines = [...output, ...(crash?.traceback ?? []).flatMap((t) => t.replace(/\n$/, "").split("\n"))];
  const missing = crash?.type === "ModuleNotFoundError" ? (/No module named '([^'.]+)/.exec(crash.message)?.[1] ?? "") : undefined;
  if (missing !== undefined && mayProvideModule(packages, missing)) {
    return {
      kind: "not-run",
      lines: [
        `(init() needs the module ${missing}, which the environment installs and the sandbox's Python does not have: the script could not be judged past that import; on Azure it runs on)`,
      ],
    };
  }
  return { kind: "crashed", lines, reason: crash ? `${crash.type}: ${crash.message}` : (output.at(-1) ?? "the interpreter ended") };
}
