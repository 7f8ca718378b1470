import { createHash } from "node:crypto";
import { condaFilePackageNames } from "../domain/parse-v1-environment.js";
import type { SandboxContext } from "./context.js";
import { untar, v1Layout, type ContainerFile } from "./container-layouts.js";
import { sameName, workspaceKey } from "./ids.js";
import type { ContainerFiles } from "./inference-container.js";
import { looselyPinnedModelLibraries } from "./rebuilt-environment.js";
import { modelFingerprint } from "./predict.js";
import { assetFiles, type AssetFile } from "./storage-files.js";
import type { CodeVersionRecord, DeploymentRecord, ModelVersionRecord, ServiceRecord } from "./world.js";

/** What a deployment's storage initializer downloads, or why it fails. */
export type GatheredContainer =
  | { readonly files: ContainerFiles; readonly download: NonNullable<DeploymentRecord["download"]>; readonly modelFingerprint: string }
  | { readonly crash: string; readonly modelFingerprint: string };

const bytesOf = (ctx: SandboxContext, files: readonly AssetFile[]): ContainerFile[] =>
  files.map((f) => ({ path: f.path, bytes: ctx.store.contents.get(f.blob.sha256) ?? Buffer.alloc(0) }));

/** The files behind a deployment's model and code storage URIs, laid out as the storage initializer puts them. */
export function gatherContainer(
  ctx: SandboxContext,
  workspace: string,
  model: ModelVersionRecord,
  code: CodeVersionRecord | undefined,
  run: Pick<ContainerFiles, "scoringScript" | "environmentVariables" | "environmentPackages">,
): GatheredContainer {
  const world = ctx.store.world;
  const modelFiles = assetFiles(world, workspace, model.modelUri, true);
  if (!modelFiles)
    return {
      crash: `Failed to download model ${model.name}:${model.version}: nothing is stored at ${model.modelUri}.`,
      modelFingerprint: `${model.name}:${model.version}`,
    };
  const fingerprint = modelFingerprint(modelFiles.map((f) => f.blob.sha256));
  const codeFiles = code ? assetFiles(world, workspace, code.codeUri ?? "", false) : undefined;
  if (code && !codeFiles) {
    return {
      crash: `Failed to download code ${code.name}:${code.version}: nothing is stored at ${code.codeUri ?? "(no codeUri)"}.`,
      modelFingerprint: fingerprint,
    };
  }
  return {
    modelFingerprint: fingerprint,
    download: {
      modelFiles: modelFiles.length,
      modelBytes: modelFiles.reduce((n, f) => n + f.blob.size, 0),
      ...(codeFiles ? { codeFiles: codeFiles.length } : {}),
    },
    files: {
      ...run,
      code: codeFiles && bytesOf(ctx, codeFiles),
      // Azure mounts the code under the folder the code asset was registered from (the last part of its path).
      codeFolder: (code?.codeUri ?? "code").replace(/\/+$/, "").split("/").pop() || "code",
      model: bytesOf(ctx, modelFiles),
      modelFolder: `${model.name}/${model.version}`,
    },
  };
}

/** A deployment's container is the same one while what it runs is: its model, code, environment, script and variables. */
export function deploymentContainerKey(workspace: string, endpoint: string, name: string, properties: Record<string, unknown>): string {
  const runs = JSON.stringify([properties.model, properties.environmentId, properties.codeConfiguration, properties.environmentVariables]);
  return `deployment:${workspace}/${endpoint.toLowerCase()}/${name.toLowerCase()}#${createHash("sha256").update(runs).digest("hex").slice(0, 16)}`;
}

/** The files of a deployment as it runs now (for its scoring after a restart of the sandbox), or undefined. */
export function deploymentFiles(ctx: SandboxContext, d: DeploymentRecord): ContainerFiles | undefined {
  const world = ctx.store.world;
  const find = <T extends { workspace: string; name: string; version: string }>(list: T[], kind: string, id: unknown) => {
    const m = new RegExp(`/${kind}/([^/]+)/versions/([^/]+)$`, "i").exec(String(id ?? ""));
    return m ? list.find((a) => a.workspace === d.workspace && sameName(a.name, m[1]!) && a.version === m[2]) : undefined;
  };
  const p = d.properties as {
    model?: string;
    environmentId?: string;
    codeConfiguration?: { codeId?: string; scoringScript?: string };
    environmentVariables?: Record<string, string>;
  };
  const model = find(world.models, "models", p.model);
  const env = find(world.environments, "environments", p.environmentId);
  const code = p.codeConfiguration?.codeId ? find(world.codes, "codes", p.codeConfiguration.codeId) : undefined;
  if (!model) return undefined;
  const gathered = gatherContainer(ctx, d.workspace, model, code, {
    scoringScript: p.codeConfiguration?.scoringScript ?? "score.py",
    environmentVariables: p.environmentVariables ?? {},
    environmentPackages: condaFilePackageNames(env?.condaFile),
  });
  return "files" in gathered ? { ...gathered.files, looseModelLibraries: looselyPinnedModelLibraries(env?.condaFile) } : undefined;
}

/** The v1 container of an ACI service: its snapshot and its models, laid out as v1 did (container-layouts.ts). */
export async function aciLayout(ctx: SandboxContext, svc: ServiceRecord) {
  const world = ctx.store.world;
  const snap = svc.snapshot;
  const archive = snap ? ctx.store.contents.get(world.blobs[`${snap.account}/${snap.blobContainer}/${snap.blobName}`]?.sha256 ?? "") : undefined;
  const ws = world.workspaces.find((w) => workspaceKey(w) === svc.workspace);
  const models = ((svc.doc.models ?? []) as { name: string; version: number | string }[]).map((m) => {
    const record = world.models.find((r) => r.workspace === svc.workspace && sameName(r.name, m.name) && r.version === String(m.version));
    const files = record && ws ? assetFiles(world, svc.workspace, record.modelUri, true) : undefined;
    return { name: m.name, version: String(m.version), files: files ? bytesOf(ctx, files) : [] };
  });
  const variables = ((svc.doc.environment as { environmentVariables?: Record<string, string> } | undefined)?.environmentVariables ?? {}) as Record<
    string,
    string
  >;
  return v1Layout({
    snapshot: archive ? await untar(archive) : [],
    models,
    entryScript: variables.AZUREML_ENTRY_SCRIPT ?? "score.py",
    environmentVariables: variables,
  });
}
