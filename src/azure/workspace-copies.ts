import type { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import { BlobSASPermissions } from "@azure/storage-blob";
import type { CopyProgress, WorkspaceTarget } from "../migration/port.js";
import { copyAll, registeredModelFiles, type DatastoreResolver, type SourceFile } from "./combined-model.js";

/** How long the read SAS a copy's source carries is valid: the copy is started (and done by Storage) well within it. */
const SOURCE_SAS_MS = 60 * 60 * 1000;

/** The property a copied model version carries: the ARM id of the version it was copied from. */
const COPIED_FROM = "aci-migrate.copied-from";

const notFound = (e: unknown) => (e as { statusCode?: number }).statusCode === 404;

/**
 * A registered model version made in another workspace: its files copied by the storage service itself (Copy Blob
 * from the source, authorized by a short read SAS) into `aci-migrate/models/NAME/VERSION` of that workspace's
 * default datastore, then registered under the same name and version. A version already there that was copied
 * from the same source is the copy (a rerun after a kill copies only the files it lacks and registers once); one
 * that is something else keeps its place, and the copy takes the version `VERSION-from-WORKSPACE`.
 */
export async function copyModelVersion(
  from: { ml: AzureMachineLearningWorkspaces; ws: WorkspaceTarget; storage: DatastoreResolver },
  to: { ml: AzureMachineLearningWorkspaces; ws: WorkspaceTarget; storage: DatastoreResolver },
  model: { name: string; version: string; tags: Readonly<Record<string, string>> },
  onCopy?: (p: CopyProgress) => void,
): Promise<{ id: string; reused: boolean }> {
  const source = await from.ml.modelVersions.get(from.ws.resourceGroup, from.ws.workspace, model.name, model.version);
  const get = (version: string) =>
    to.ml.modelVersions.get(to.ws.resourceGroup, to.ws.workspace, model.name, version).catch((e: unknown) => {
      if (notFound(e)) return undefined;
      throw e;
    });
  const ours = (v: Awaited<ReturnType<typeof get>>) => v?.properties.properties?.[COPIED_FROM]?.toLowerCase() === source.id?.toLowerCase();
  let version = model.version;
  let there = await get(version);
  if (there && !ours(there)) there = await get((version = `${model.version}-from-${from.ws.workspace}`));
  if (there && ours(there)) return { id: there.id!, reused: true };
  const files = await registeredModelFiles(from.ml, from.ws, model.name, model.version, from.storage);
  const target = await to.storage.datastore(undefined);
  const root = `aci-migrate/models/${model.name}/${version}`;
  // Another account reads the source only with a SAS on its URL.
  const withSas = (f: SourceFile) =>
    f.source.getBlobClient(f.blobName).generateSasUrl({ permissions: BlobSASPermissions.parse("r"), expiresOn: new Date(Date.now() + SOURCE_SAS_MS) });
  await copyAll(files, target.container, root, onCopy, withSas);
  // A file model is registered as that file; a folder model as its folder (the name Azure keeps under $AZUREML_MODEL_DIR).
  const single = files.length === 1 && !files[0]!.target.includes("/");
  const path = single ? `${root}/${files[0]!.target}` : `${root}/${files[0]!.target.split("/")[0]}/`;
  const created = await to.ml.modelVersions.createOrUpdate(to.ws.resourceGroup, to.ws.workspace, model.name, version, {
    properties: {
      modelUri: `azureml://subscriptions/${to.ws.subscriptionId}/resourcegroups/${to.ws.resourceGroup}/workspaces/${to.ws.workspace}/datastores/${target.name}/paths/${path}`,
      modelType: source.properties.modelType ?? "custom_model",
      description: source.properties.description ?? `${model.name}:${model.version} of workspace ${from.ws.workspace}, copied by aci-migrate.`,
      properties: { ...source.properties.properties, [COPIED_FROM]: source.id ?? "" },
      tags: { ...model.tags },
    },
  });
  return { id: created.id!, reused: false };
}

/**
 * A registered environment version made in another workspace from its definition (image, conda file, inference
 * routes, OS), under the same name and version. One already there with the same image and conda file is the
 * copy; one that differs keeps its place, and the copy takes the version `VERSION-from-WORKSPACE`.
 */
export async function copyEnvironmentVersion(
  from: { ml: AzureMachineLearningWorkspaces; ws: WorkspaceTarget },
  to: { ml: AzureMachineLearningWorkspaces; ws: WorkspaceTarget },
  environment: { name: string; version: string; tags: Readonly<Record<string, string>> },
): Promise<{ id: string; reused: boolean }> {
  const { name } = environment;
  const source = await from.ml.environmentVersions.get(from.ws.resourceGroup, from.ws.workspace, name, environment.version);
  const p = source.properties;
  const get = (version: string) =>
    to.ml.environmentVersions.get(to.ws.resourceGroup, to.ws.workspace, name, version).catch((e: unknown) => {
      if (notFound(e)) return undefined;
      throw e;
    });
  const same = (v: Awaited<ReturnType<typeof get>>) => v !== undefined && v.properties.image === p.image && v.properties.condaFile === p.condaFile;
  let version = environment.version;
  let there = await get(version);
  if (there && !same(there)) there = await get((version = `${environment.version}-from-${from.ws.workspace}`));
  if (there && same(there)) return { id: there.id!, reused: true };
  const created = await to.ml.environmentVersions.createOrUpdate(to.ws.resourceGroup, to.ws.workspace, name, version, {
    properties: {
      ...(p.image ? { image: p.image } : {}),
      ...(p.condaFile ? { condaFile: p.condaFile } : {}),
      ...(p.build ? { build: p.build } : {}),
      ...(p.inferenceConfig ? { inferenceConfig: p.inferenceConfig } : {}),
      ...(p.osType ? { osType: p.osType } : {}),
      description: p.description ?? `${name}:${version} of workspace ${from.ws.workspace}, registered again by aci-migrate.`,
      tags: { ...environment.tags },
    },
  });
  return { id: created.id!, reused: false };
}
