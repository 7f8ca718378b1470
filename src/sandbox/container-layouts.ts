import { posix } from "node:path";
import { Parser } from "tar";
import type { ContainerLayout } from "./script-containers.js";
import { V1_SDK_FILES } from "../domain/v1-sdk-stand-in.js";

const APP = "var/azureml-app";
/** Where the sandbox puts its stand-in of the v1 SDK (see v1-sdk-stand-in.ts), on PYTHONPATH. */
const V1_SDK = "opt/azureml-v1-sdk";

export interface ContainerFile {
  readonly path: string;
  readonly bytes: Buffer;
}

/**
 * A v1 ACI container as the v1 SDK laid it out: the source snapshot unpacked under /var/azureml-app (so the entry
 * script is /var/azureml-app/source_dir/score.py), each model at /var/azureml-app/azureml-models/{name}/{version}/,
 * AZUREML_MODEL_DIR relative (`azureml-models/{name}/{version}`, or `azureml-models` with several models),
 * AML_APP_ROOT /var/azureml-app, the working directory /var/azureml-app, and the v1 SDK importable (every v1
 * image had azureml-core).
 */
export function v1Layout(o: {
  snapshot: readonly ContainerFile[];
  models: readonly { name: string; version: string; files: readonly ContainerFile[] }[];
  entryScript: string;
  environmentVariables: Readonly<Record<string, string>>;
}): ContainerLayout {
  const [only] = o.models;
  const modelDir = o.models.length === 1 && only ? `azureml-models/${only.name}/${only.version}` : "azureml-models";
  return {
    files: [
      ...o.snapshot.map((f) => ({ path: posix.join(APP, f.path), bytes: f.bytes })),
      ...o.models.flatMap((m) => m.files.map((f) => ({ path: posix.join(APP, "azureml-models", m.name, m.version, f.path), bytes: f.bytes }))),
      ...V1_SDK_FILES.map((f) => ({ path: posix.join(V1_SDK, f.path), bytes: Buffer.from(f.text) })),
    ],
    cwd: APP,
    env: {
      ...o.environmentVariables,
      AML_APP_ROOT: `{root}/${APP}`,
      AZUREML_ENTRY_SCRIPT: o.entryScript,
      AZUREML_MODEL_DIR: modelDir,
      PYTHONPATH: `{root}/${V1_SDK}`,
    },
  };
}

/**
 * A managed deployment's container: the code at /var/azureml-app/{code folder}/, the model at
 * /var/azureml-app/azureml-models/{name}/{version} (AZUREML_MODEL_DIR, absolute), AML_APP_ROOT the scoring script's
 * folder, AZUREML_ENTRY_SCRIPT its file name, /var/azureml-app the working directory; the v1 SDK importable only
 * when the environment installs it.
 */
export function managedLayout(o: {
  code: readonly ContainerFile[];
  codeFolder: string;
  scoringScript: string;
  model: readonly ContainerFile[];
  modelFolder: string;
  environmentVariables: Readonly<Record<string, string>>;
  withV1Sdk: boolean;
}): ContainerLayout {
  const codeDir = posix.join(APP, o.codeFolder);
  const scriptDir = posix.dirname(o.scoringScript);
  return {
    files: [
      ...o.code.map((f) => ({ path: posix.join(codeDir, f.path), bytes: f.bytes })),
      ...o.model.map((f) => ({ path: posix.join(APP, "azureml-models", o.modelFolder, f.path), bytes: f.bytes })),
      ...(o.withV1Sdk ? V1_SDK_FILES.map((f) => ({ path: posix.join(V1_SDK, f.path), bytes: Buffer.from(f.text) })) : []),
    ],
    cwd: APP,
    env: {
      ...o.environmentVariables,
      AML_APP_ROOT: `{root}/${scriptDir === "." ? codeDir : posix.join(codeDir, scriptDir)}`,
      AZUREML_ENTRY_SCRIPT: posix.basename(o.scoringScript),
      AZUREML_MODEL_DIR: `{root}/${posix.join(APP, "azureml-models", o.modelFolder)}`,
      ...(o.withV1Sdk ? { PYTHONPATH: `{root}/${V1_SDK}` } : {}),
    },
  };
}

/** The files of a gzip'd tar archive (a v1 source snapshot), read in memory with the `tar` package. */
export function untar(archive: Buffer): Promise<ContainerFile[]> {
  return new Promise((done, fail) => {
    const files: ContainerFile[] = [];
    const parser = new Parser({ strict: true });
    parser.on("entry", (entry) => {
      const chunks: Buffer[] = [];
      entry.on("data", (c: Buffer) => chunks.push(c));
      entry.on("end", () => {
        if (entry.type === "File") files.push({ path: entry.path, bytes: Buffer.concat(chunks) });
      });
    });
    parser.on("error", fail);
    parser.on("end", () => done(files));
    parser.end(archive);
  });
}
