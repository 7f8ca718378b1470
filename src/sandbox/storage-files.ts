import { parseDatastoreUri } from "../domain/datastore-uri.js";
import type { BlobRecord, SandboxWorld } from "./world.js";

/** One file of a model or code asset: where the storage initializer puts it (relative) and the blob it comes from. */
export interface AssetFile {
  readonly path: string;
  readonly blobKey: string;
  readonly blob: BlobRecord;
}

/**
 * The blobs behind an asset's storage URI, as the storage initializer of a managed deployment downloads them:
 * `azureml://[subscriptions/…/workspaces/…/]datastores/{name}/paths/{path}` or a blob URL (account host, or the
 * sandbox's IP-style `https://127.0.0.1:port/{account}/…`). A URI naming one blob is a file model, placed by its
 * name; a folder keeps its last segment (Azure's rule: a model registered from `./models` is found at
 * `$AZUREML_MODEL_DIR/models/…`). Undefined: the URI names nothing this workspace can read.
 */
export function assetFiles(world: SandboxWorld, workspace: string, uri: string, keepFolderName: boolean): AssetFile[] | undefined {
  const where = blobPrefixOf(world, workspace, uri);
  if (!where) return undefined;
  const base = `${where.account}/${where.container}/`;
  const path = where.path.replace(/^\/+/, "");
  const exact = world.blobs[base + path];
  if (exact && !path.endsWith("/")) return [{ path: path.split("/").pop()!, blobKey: base + path, blob: exact }];
  const folder = path.replace(/\/+$/, "");
  const prefix = base + (folder ? `${folder}/` : "");
  const leaf = keepFolderName && folder ? `${folder.split("/").pop()}/` : "";
  const files = Object.keys(world.blobs)
    .filter((k) => k.startsWith(prefix))
    .sort()
    .map((k) => ({ path: leaf + k.slice(prefix.length), blobKey: k, blob: world.blobs[k]! }));
  return files.length ? files : undefined;
}

function blobPrefixOf(world: SandboxWorld, workspace: string, uri: string): { account: string; container: string; path: string } | undefined {
  const datastorePath = parseDatastoreUri(uri);
  if (datastorePath) {
    const store = world.datastores.find((d) => d.workspace === workspace && d.name.toLowerCase() === datastorePath.datastore.toLowerCase());
    return store ? { account: store.accountName, container: store.containerName, path: datastorePath.path } : undefined;
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  const segments = url.pathname.split("/").slice(1).map(decodeURIComponent);
  const accounts = new Set(world.datastores.map((d) => d.accountName));
  const hostAccount = url.hostname.split(".")[0]!;
  const [account, container, ...rest] = accounts.has(segments[0] ?? "") ? segments : accounts.has(hostAccount) ? [hostAccount, ...segments] : [];
  return account && container ? { account, container, path: rest.join("/") } : undefined;
}
