import { createHash } from "node:crypto";
import type { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import type { ContainerClient } from "@azure/storage-blob";
import { parseDatastoreUri } from "../domain/datastore-uri.js";
import { COMBINED_MODEL_FOLDER } from "../domain/model-layout.js";
import { UserFixableError } from "../domain/errors.js";
import type { CombinedModelSpec, CopyProgress, WorkspaceTarget } from "../migration/port.js";

/** The property a combined model version carries: the content it was made from (how a rerun finds it). */
export const CONTENT_PROPERTY = "aci-migrate.content-sha256";
const COPIES_AT_ONCE = 8;

/** A datastore resolved to its storage: what a model's `azureml://…/datastores/{name}/paths/{path}` points into. */
export interface Datastore {
  readonly name: string;
  readonly account: string;
  readonly container: ContainerClient;
}

export interface SourceFile {
  readonly source: ContainerClient;
  readonly blobName: string;
  /** Where it goes, relative to the combined folder. */
  readonly target: string;
  readonly size: number;
  readonly md5: string;
}

export interface DatastoreResolver {
  /** A datastore of the workspace by name (undefined: the default one). */
  datastore(name: string | undefined): Promise<Datastore>;
}

/**
 * The files of several registered model versions, each placed under its part's path, and the default datastore
 * they are gathered in; refused when a model is not in a datastore of that storage account.
 */
export async function combinedModelFiles(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceTarget,
  parts: CombinedModelSpec["parts"],
  storage: DatastoreResolver,
): Promise<{ target: Datastore; files: SourceFile[] }> {
  const files: SourceFile[] = [];
  const target = await storage.datastore(undefined);
  for (const part of parts) {
    const v = await ml.modelVersions.get(ws.resourceGroup, ws.workspace, part.name, part.version);
    const where = parseDatastoreUri(v.properties.modelUri ?? "");
    if (!where?.path) {
      throw new UserFixableError(
        `Model ${part.name}:${part.version} is stored at ${v.properties.modelUri ?? "(no modelUri)"}, which is not a datastore path aci-migrate can copy from.`,
        {
          nextStep: "Register a folder model holding the service's models yourself and pass it with --model NAME:VERSION.",
          kind: "state",
        },
      );
    }
    const store = await storage.datastore(where.datastore);
    if (store.account !== target.account) {
      throw new UserFixableError(
        `Model ${part.name}:${part.version} lives in storage account ${store.account}, the workspace's default datastore in ${target.account}.`,
        {
          why: "aci-migrate copies model files inside one storage account, so nothing goes through this machine.",
          nextStep: "Register a folder model holding the service's models yourself and pass it with --model NAME:VERSION.",
          kind: "state",
        },
      );
    }
    files.push(...(await partFiles(store.container, where.path, part.path, `${part.name}:${part.version}`)));
  }
  return { target, files };
}

/** The files of one registered model version, placed as $AZUREML_MODEL_DIR holds them (a file at its root, a folder by its name). */
export async function registeredModelFiles(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceTarget,
  name: string,
  version: string,
  storage: DatastoreResolver,
): Promise<SourceFile[]> {
  const v = await ml.modelVersions.get(ws.resourceGroup, ws.workspace, name, version);
  const where = parseDatastoreUri(v.properties.modelUri ?? "");
  if (!where?.path) {
    throw new UserFixableError(
      `Model ${name}:${version} is stored at ${v.properties.modelUri ?? "(no modelUri)"}, which is not a datastore path aci-migrate can read.`,
      {
        nextStep: "Rehearse from local files instead: --model-dir DIR with the model's files.",
        kind: "state",
      },
    );
  }
  const store = await storage.datastore(where.datastore);
  return (await partFiles(store.container, where.path, "", `${name}:${version}`)).map((f) => ({ ...f, target: f.target.replace(/^\/+/, "") }));
}

/**
 * Makes (or finds) one folder model from several registered model versions. Every file is copied by the storage
 * service itself (Copy Blob, authorized as the same account), to a folder named by the parts' content, so a rerun
 * writes the same folder; the version is registered last and found again by its content property.
 */
export async function ensureCombinedModel(
  ml: AzureMachineLearningWorkspaces,
  ws: WorkspaceTarget,
  spec: CombinedModelSpec,
  storage: DatastoreResolver,
  onCopy?: (p: CopyProgress) => void,
): Promise<{ id: string; version: string; folder: string; reused: boolean }> {
  const { target, files } = await combinedModelFiles(ml, ws, spec.parts, storage);
  const content = createHash("sha256")
    .update(
      files
        .map((f) => `${f.target}\t${f.size}\t${f.md5}`)
        .sort()
        .join("\n"),
    )
    .digest("hex");
  // Named by content: a rerun writes the same folder. The parts' paths (`models/{name}/{version}`) start with the
  // folder that is registered, whose name Azure keeps under $AZUREML_MODEL_DIR.
  const root = `aci-migrate/models/${spec.name}/${content.slice(0, 16)}`;
  const folder = `${root}/${COMBINED_MODEL_FOLDER}`;

  const versions: { name: string; id: string; content?: string }[] = [];
  for await (const v of ml.modelVersions.list(ws.resourceGroup, ws.workspace, spec.name))
    versions.push({ name: v.name!, id: v.id!, content: v.properties.properties?.[CONTENT_PROPERTY] ?? undefined });
  const same = versions.find((v) => v.content === content);
  if (same) return { id: same.id, version: same.name, folder, reused: true };

  await copyAll(files, target.container, root, onCopy);
  const version = String(Math.max(0, ...versions.map((v) => Number(v.name)).filter(Number.isInteger)) + 1);
  const created = await ml.modelVersions.createOrUpdate(ws.resourceGroup, ws.workspace, spec.name, version, {
    properties: {
      modelUri: `azureml://subscriptions/${ws.subscriptionId}/resourcegroups/${ws.resourceGroup}/workspaces/${ws.workspace}/datastores/${target.name}/paths/${folder}/`,
      modelType: "custom_model",
      description: spec.description,
      properties: { [CONTENT_PROPERTY]: content, "aci-migrate.parts": spec.parts.map((p) => `${p.name}:${p.version}`).join(",") },
      tags: { ...spec.tags },
    },
  });
  return { id: created.id!, version, folder, reused: false };
}

/**
 * The files of one model version, placed as v1 mounted them under its `{name}/{version}` folder (now `path`): a
 * file model by its name, a folder model with its folder's own name kept.
 */
async function partFiles(container: ContainerClient, path: string, targetPath: string, id: string): Promise<SourceFile[]> {
  const clean = path.replace(/^\/+/, "");
  const folder = clean.replace(/\/+$/, "");
  const out: SourceFile[] = [];
  for await (const b of container.listBlobsFlat({ prefix: folder })) {
    const size = b.properties.contentLength ?? 0;
    const md5 = b.properties.contentMD5 ? Buffer.from(b.properties.contentMD5).toString("base64") : (b.properties.etag ?? "");
    if (b.name === folder && !clean.endsWith("/"))
      out.push({ source: container, blobName: b.name, target: `${targetPath}/${b.name.split("/").pop()}`, size, md5 });
    else if (b.name.startsWith(`${folder}/`))
      out.push({ source: container, blobName: b.name, target: `${targetPath}/${folder.split("/").pop()}/${b.name.slice(folder.length + 1)}`, size, md5 });
  }
  const exact = out.filter((f) => f.blobName === folder);
  if (!out.length)
    throw new UserFixableError(`Model ${id} has no files at ${path} in its datastore.`, {
      nextStep: "Check the model in the workspace (it may have been deleted from storage), or pass another with --model NAME:VERSION.",
      kind: "state",
    });
  return exact.length ? exact : out;
}

/**
 * Copies each file that the folder does not hold yet (same size and MD5), COPIES_AT_ONCE at a time, by Copy Blob
 * from `sourceUrl` (the blob's own URL inside one account; a URL with a read SAS from another).
 */
export async function copyAll(
  files: readonly SourceFile[],
  container: ContainerClient,
  root: string,
  onCopy?: (p: CopyProgress) => void,
  sourceUrl: (f: SourceFile) => Promise<string> | string = (f) => f.source.getBlobClient(f.blobName).url,
): Promise<void> {
  const bytes = files.reduce((n, f) => n + f.size, 0);
  onCopy?.({ copied: 0, total: files.length, bytes });
  let copied = 0;
  const queue = [...files];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const target = container.getBlockBlobClient(`${root}/${f.target}`);
      const there = await target.getProperties().catch(() => undefined);
      const thereMd5 = there?.contentMD5 ? Buffer.from(there.contentMD5).toString("base64") : undefined;
      if (!(there && there.contentLength === f.size && thereMd5 === f.md5)) {
        const poller = await target.beginCopyFromURL(await sourceUrl(f), { intervalInMs: 500 });
        await poller.pollUntilDone();
      }
      copied++;
      onCopy?.({ copied, total: files.length, bytes });
    }
  };
  await Promise.all(Array.from({ length: Math.min(COPIES_AT_ONCE, files.length) }, worker));
}
