import { mkdir } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import type { RehearsalLayoutSpec } from "../domain/rehearsal.js";

/** Where a managed deployment's container keeps the code and the models (its tracebacks show these paths). */
export const APP_ROOT = "/var/azureml-app";

/** The deployment laid out on disk under `root`, as the container would see it under `/`. */
export interface Layout {
  /** The folder that stands for `/` of the container. */
  readonly root: string;
  readonly codeDir: string;
  readonly modelDir: string;
  /** The working directory the script runs in. */
  readonly cwd: string;
  /** The environment the script sees, with paths on this machine. */
  readonly env: Readonly<Record<string, string>>;
  /** The same variables with the container's paths (what a Docker run sets). */
  readonly containerEnv: Readonly<Record<string, string>>;
  readonly containerCodeDir: string;
  readonly containerModelDir: string;
}

/**
 * The managed deployment's layout, as Microsoft documents it and azure-ai-ml's local endpoints build it:
 * the code at /var/azureml-app/<code folder>/, the model at /var/azureml-app/azureml-models/<name>/<version>,
 * AZUREML_MODEL_DIR that folder (an absolute path, unlike v1's relative one), AML_APP_ROOT the folder of the
 * scoring script, AZUREML_ENTRY_SCRIPT its file name, and /var/azureml-app/ the working directory (the local
 * emulator's WORKDIR; Azure documents none for the cloud). The deployment's own variables come first, as Azure
 * lets them override none of these. See docs/rehearse.md for the sources.
 */
export async function layOut(root: string, spec: RehearsalLayoutSpec): Promise<Layout> {
  const containerCodeDir = posix.join(APP_ROOT, spec.codeFolder);
  const containerModelDir = posix.join(APP_ROOT, "azureml-models", spec.modelFolder);
  const scriptDir = posix.dirname(spec.scoringScript);
  const containerEnv = {
    ...spec.environmentVariables,
    AML_APP_ROOT: scriptDir === "." ? containerCodeDir : posix.join(containerCodeDir, scriptDir),
    AZUREML_ENTRY_SCRIPT: posix.basename(spec.scoringScript),
    AZUREML_MODEL_DIR: containerModelDir,
    AZUREML_SOURCE_DIRECTORY: containerCodeDir,
  };
  const local = (p: string) => join(root, ...p.split("/").filter(Boolean));
  const layout: Layout = {
    root,
    codeDir: local(containerCodeDir),
    modelDir: local(containerModelDir),
    cwd: local(APP_ROOT),
    env: Object.fromEntries(Object.entries(containerEnv).map(([k, v]) => [k, v.startsWith(`${APP_ROOT}/`) || v === APP_ROOT ? local(v) : v])),
    containerEnv,
    containerCodeDir,
    containerModelDir,
  };
  await mkdir(layout.codeDir, { recursive: true });
  await mkdir(layout.modelDir, { recursive: true });
  await mkdir(dirname(layout.codeDir), { recursive: true });
  return layout;
}

/** Text from a run with this machine's folder taken out, so paths read as they do in the container. */
export function asInContainer(layout: Layout, text: string): string {
  return text.split(layout.root).join("");
}
