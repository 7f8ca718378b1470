import type { BlobServiceClient } from "@azure/storage-blob";
import type { CollectedFile } from "../domain/collected-inputs.js";
import type { WorkspaceTarget } from "../migration/port.js";
import { downloadWhole } from "./blob-storage.js";

/** The container v1 model data collection writes to, in the workspace's default storage account. */
export const MODEL_DATA_CONTAINER = "modeldata";

/** Collected files read at most (the newest kept): a service collecting for years has more than a replay needs. */
const MAX_FILES = 400;

/**
 * The CSV files v1 model data collection wrote for a service: `modeldata/<sub>/<rg>/<workspace>/<service>/…`
 * in the workspace's default storage account. None when the container or the folder is not there.
 */
export async function readCollectedFiles(account: BlobServiceClient, ws: WorkspaceTarget, service: string): Promise<CollectedFile[]> {
  const container = account.getContainerClient(MODEL_DATA_CONTAINER);
  if (!(await container.exists())) return [];
  const prefix = `${ws.subscriptionId}/${ws.resourceGroup}/${ws.workspace}/${service}/`;
  const names: string[] = [];
  for await (const blob of container.listBlobsFlat({ prefix })) if (blob.name.toLowerCase().endsWith(".csv")) names.push(blob.name);
  // The path ends …/<yyyy>/<mm>/<dd>/<file>.csv: by name is by day within a designation; the newest are kept.
  const newest = names.sort((a, b) => a.split("/").slice(-4).join("/").localeCompare(b.split("/").slice(-4).join("/"))).slice(-MAX_FILES);
  return Promise.all(newest.map(async (name) => ({ path: name, text: (await downloadWhole(container.getBlobClient(name))).toString("utf8") })));
}
