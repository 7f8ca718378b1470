import { buffer } from "node:stream/consumers";
import { USER_AGENT } from "../domain/product.js";
import { AnonymousCredential, BlobClient, BlobServiceClient, newPipeline, StorageSharedKeyCredential, type StoragePipelineOptions } from "@azure/storage-blob";
import { sharedAgent, storageAccountUrl, type AzureConnection } from "./connection.js";

/**
 * Storage-blob has no `tlsOptions` of its own, but its Pipeline hands unknown options to core-rest-pipeline's
 * `createClientPipeline`, which honours `tlsOptions` per client. So a sandbox's certificate is trusted by this
 * client only, as with every other client.
 */
function pipelineOptions(conn: AzureConnection): StoragePipelineOptions {
  return {
    userAgentOptions: { userAgentPrefix: USER_AGENT },
    retryOptions: { maxTries: 5, retryDelayInMs: conn.retryDelayMs ?? 800, maxRetryDelayInMs: (conn.retryDelayMs ?? 800) * 20 },
    ...(conn.caPem ? ({ tlsOptions: { ca: conn.caPem } } as StoragePipelineOptions) : {}),
    // The connection's keep-alive agent (passed through the same way): a socket open to the account (or, on the
    // sandbox, to its one address) serves the next client's calls without a new TLS handshake.
    ...({ agent: sharedAgent(conn) } as StoragePipelineOptions),
  };
}

/** A client for one storage account, authenticated with the account key a datastore's listSecrets returned. */
export function blobServiceWithAccountKey(conn: AzureConnection, account: string, accountKey: string, endpointSuffix?: string): BlobServiceClient {
  const credential = new StorageSharedKeyCredential(account, accountKey);
  return new BlobServiceClient(storageAccountUrl(conn, account, endpointSuffix), newPipeline(credential, pipelineOptions(conn)));
}

/** A client for a blob behind a signed URL (e.g. a v1 snapshot's contentUri). */
export function blobFromSignedUrl(conn: AzureConnection, url: string): BlobClient {
  return new BlobClient(url, newPipeline(new AnonymousCredential(), pipelineOptions(conn)));
}

/**
 * A blob's bytes in one GET (downloadToBuffer asks for the blob's properties first, to size its buffer: a
 * second round trip for the small archives read here).
 */
export async function downloadWhole(blob: BlobClient): Promise<Buffer> {
  const response = await blob.download();
  if (!response.readableStreamBody) throw new Error(`Blob ${blob.name} answered without a body.`);
  return buffer(response.readableStreamBody);
}
