import { createHash, randomUUID } from "node:crypto";
import type { SandboxContext } from "../context.js";
import type { SandboxRequest, SandboxResponse } from "../http.js";
import { blob as makeBlob } from "../blob-contents.js";
import { signBlobPath } from "./model-management.js";
import { blobAuthRefusal } from "../blob-auth.js";
import { checkStorageSas } from "../storage-sas.js";
import { storageHostAccount } from "../storage-host.js";
import { accountKeys } from "./storage-accounts.js";
import { leaseBlob, leaseHeaders, leasePace, writeRefusal } from "../blob-lease.js";
import { escapeXml, metadataOf, storageError, STORAGE_VERSION, XML_HEAD } from "../storage-answers.js";

/** Whether a path's first segment names a storage account of the world (IP-style blob URLs: /account/container/blob). */
export function isBlobPath(ctx: SandboxContext, path: string): boolean {
  const account = path.split("/")[1] ?? "";
  return ctx.store.world.datastores.some((d) => d.accountName === account);
}

/**
 * Enough of the Blob service for @azure/storage-blob: create container, list blobs, put/head/get/delete a block
 * blob, ranged reads. Requests must carry SharedKey for the account, a SAS the sandbox signed, or a valid bearer token.
 */
export function handleBlob(req: SandboxRequest, ctx: SandboxContext): SandboxResponse {
  const world = ctx.store.world;
  const [, account = "", container = "", ...rest] = req.path.split("/");
  const blobName = rest.map(decodeURIComponent).join("/");
  const store = world.datastores.find((d) => d.accountName === account)!;

  const refusal = blobAuthRefusal(req, ctx, account, store.accountKey);
  if (refusal) return storageError(refusal.status, refusal.code, refusal.message, req.method, refusal.detail);

  const containerKey = `${account}/${container}`;
  const q = req.url.searchParams;
  const headers = { "x-ms-version": STORAGE_VERSION };

  if (!blobName) {
    if (q.get("restype") !== "container")
      return storageError(400, "InvalidQueryParameterValue", "Value for one of the query parameters specified in the request URI is invalid.", req.method);
    if (req.method === "PUT") {
      if (world.blobContainers.includes(containerKey))
        return storageError(409, "ContainerAlreadyExists", "The specified container already exists.", req.method);
      world.blobContainers.push(containerKey);
      return {
        status: 201,
        headers: { ...headers, etag: `"0x${ctx.clock.now().toString(16).toUpperCase()}"`, "last-modified": new Date(ctx.clock.now()).toUTCString() },
      };
    }
    if (!world.blobContainers.includes(containerKey)) return storageError(404, "ContainerNotFound", "The specified container does not exist.", req.method);
    // Get Container Properties.
    if ((req.method === "GET" || req.method === "HEAD") && q.get("comp") === null) {
      return {
        status: 200,
        headers: {
          ...headers,
          etag: `"0x${createHash("sha1").update(containerKey).digest("hex").slice(0, 15).toUpperCase()}"`,
          "last-modified": new Date(0).toUTCString(),
          "x-ms-lease-status": "unlocked",
          "x-ms-lease-state": "available",
          "x-ms-has-immutability-policy": "false",
          "x-ms-has-legal-hold": "false",
          "x-ms-default-encryption-scope": "$account-encryption-key",
          "x-ms-deny-encryption-scope-override": "false",
        },
      };
    }
    if (req.method === "GET" && q.get("comp") === "list") {
      const prefix = q.get("prefix") ?? "";
      const names = Object.keys(world.blobs)
        .filter((k) => k.startsWith(`${containerKey}/${prefix}`))
        .sort();
      const items = names
        .map((k) => {
          const b = world.blobs[k]!;
          const name = k.slice(containerKey.length + 1);
          const lease = leaseHeaders(b.lease, ctx.clock.now(), leasePace(ctx.speed));
          return `<Blob><Name>${escapeXml(name)}</Name><Properties><Last-Modified>${new Date(b.lastModifiedMs).toUTCString()}</Last-Modified><Etag>${b.etag}</Etag><Content-Length>${b.size}</Content-Length><Content-Type>${b.contentType}</Content-Type><Content-MD5>${b.contentMd5}</Content-MD5><BlobType>BlockBlob</BlobType><LeaseStatus>${lease["x-ms-lease-status"]}</LeaseStatus><LeaseState>${lease["x-ms-lease-state"]}</LeaseState></Properties></Blob>`;
        })
        .join("");
      const xml = `${XML_HEAD}<EnumerationResults ServiceEndpoint="${req.origin}/${account}/" ContainerName="${escapeXml(container)}"><Prefix>${escapeXml(prefix)}</Prefix><Blobs>${items}</Blobs><NextMarker /></EnumerationResults>`;
      return { status: 200, headers: { ...headers, "content-type": "application/xml" }, body: Buffer.from(xml) };
    }
    return storageError(405, "UnsupportedHttpVerb", "The resource doesn't support the specified HTTP verb.", req.method);
  }

  const key = `${containerKey}/${blobName}`;
  const contents = ctx.store.contents;
  const now = ctx.clock.now();
  if (req.method === "PUT") {
    if (!world.blobContainers.includes(containerKey)) return storageError(404, "ContainerNotFound", "The specified container does not exist.", req.method);
    const comp = q.get("comp");
    if (comp === "lease") {
      const leased = world.blobs[key];
      if (!leased) return storageError(404, "BlobNotFound", "The specified blob does not exist.", req.method);
      const answer = leaseBlob(req, leased, now, leasePace(ctx.speed));
      return "code" in answer
        ? storageError(answer.status, answer.code, answer.message, req.method)
        : { status: answer.status, headers: { ...headers, etag: leased.etag, ...answer.headers } };
    }
    // A leased blob takes writes only with its lease id (Put Block stages nothing the blob shows yet).
    const refused = comp === "block" ? undefined : writeRefusal(req, world.blobs[key], now, leasePace(ctx.speed));
    if (refused) return storageError(refused.status, refused.code, refused.message, req.method);
    // Put Block: what every SDK sends above its single-put size; the block waits for Put Block List.
    if (comp === "block") {
      const blockId = q.get("blockid");
      if (!blockId)
        return storageError(400, "MissingRequiredQueryParameter", "A query parameter that's mandatory for this request is not specified.", req.method);
      contents.stageBlock(key, blockId, req.body);
      return {
        status: 201,
        headers: { ...headers, "x-ms-request-server-encrypted": "true", "content-md5": createHash("md5").update(req.body).digest("base64") },
      };
    }
    if (comp === "blocklist") {
      const ids = [...req.body.toString("utf8").matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\/(?:Latest|Uncommitted|Committed)>/g)].map((m) => m[1]!);
      const committed = contents.commitBlocks(key, ids);
      if (!committed) return storageError(400, "InvalidBlockList", "The specified block list is invalid.", req.method);
      return putBlob(committed.bytes, committed.blocks);
    }
    // Set Blob Metadata: replaces the metadata, leaves the content as it is.
    if (comp === "metadata") {
      const existing = world.blobs[key];
      if (!existing) return storageError(404, "BlobNotFound", "The specified blob does not exist.", req.method);
      existing.metadata = metadataOf(req.headers);
      existing.lastModifiedMs = ctx.clock.now();
      return {
        status: 200,
        headers: { ...headers, etag: existing.etag, "last-modified": new Date(existing.lastModifiedMs).toUTCString(), "x-ms-request-server-encrypted": "true" },
      };
    }
    if (comp !== null)
      return storageError(
        400,
        "InvalidQueryParameterValue",
        `Value for one of the query parameters specified in the request URI is invalid (comp=${comp} is not served by the sandbox).`,
        req.method,
      );
    const copySource = req.headers["x-ms-copy-source"];
    if (copySource !== undefined) return copyBlob(String(copySource));
    if ((req.headers["x-ms-blob-type"] ?? "BlockBlob") !== "BlockBlob")
      return storageError(400, "InvalidHeaderValue", "Only block blobs are supported here.", req.method);
    return putBlob(req.body);
  }
  /**
   * Copy Blob (server-side, no bytes through the client). A source in the same account is authorized by this
   * request's own credential; one in another account only by a SAS on its URL, which is checked as Azure checks it
   * (else Azure's 403 CannotVerifyCopySource). The sandbox copies at once, so the copy is `success` in the first answer.
   */
  function copyBlob(source: string): SandboxResponse {
    let url: URL;
    try {
      url = new URL(source);
    } catch {
      return storageError(400, "InvalidHeaderValue", "The value for one of the HTTP headers is not in the correct format (x-ms-copy-source).", req.method);
    }
    // Storage's own addressing (ACCOUNT.blob.core.windows.net, as az storage builds it) or the sandbox's path-style.
    const hostAccount = storageHostAccount(url.host);
    const [sourceAccount = "", sourceContainer = "", ...sourceRest] = (hostAccount ? `/${hostAccount}${url.pathname}` : url.pathname).split("/").slice(1);
    const sourceBlob = sourceRest.map(decodeURIComponent).join("/");
    const sourceKey = `${sourceAccount}/${sourceContainer}/${sourceBlob}`;
    const sourceStore = world.datastores.find((d) => d.accountName === sourceAccount);
    const sourceSe = Number(url.searchParams.get("se"));
    const sandboxSas =
      sourceStore !== undefined && sourceSe > ctx.clock.now() && url.searchParams.get("sig") === signBlobPath(sourceStore.accountKey, url.pathname, sourceSe);
    const azureSas = checkStorageSas(
      url.searchParams,
      { account: sourceAccount, container: sourceContainer, blob: sourceBlob },
      accountKeys(ctx, sourceAccount),
      "r",
      ctx.clock.now(),
    );
    // A SAS on the source is what Azure reads it with, even in this account; without one, this request's credential.
    const authorized = azureSas.kind === "none" ? sandboxSas || sourceAccount === account : azureSas.kind === "valid";
    if (!authorized) {
      return storageError(
        403,
        "CannotVerifyCopySource",
        "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.",
        req.method,
      );
    }
    const from = world.blobs[sourceKey];
    if (!from) return storageError(404, "CannotVerifyCopySource", "The specified blob does not exist.", req.method);
    const now = ctx.clock.now();
    const copyId = randomUUID();
    const record = {
      ...from,
      lastModifiedMs: now,
      etag: `"0x${createHash("sha1").update(`${key}:${now}:${copyId}`).digest("hex").slice(0, 15).toUpperCase()}"`,
      metadata: { ...from.metadata, ...metadataOf(req.headers) },
      copy: { id: copyId, source: `${url.origin}${url.pathname}`, completedMs: now },
    };
    delete record.blocks;
    world.blobs[key] = record;
    return {
      status: 202,
      headers: { ...headers, etag: record.etag, "last-modified": new Date(now).toUTCString(), "x-ms-copy-id": copyId, "x-ms-copy-status": "success" },
    };
  }
  function putBlob(bytes: Buffer, blocks?: { id: string; size: number }[]): SandboxResponse {
    const record = {
      ...makeBlob(contents, bytes, String(req.headers["x-ms-blob-content-type"] ?? req.headers["content-type"] ?? "application/octet-stream"), ctx.clock.now()),
      metadata: metadataOf(req.headers),
      ...(blocks ? { blocks } : {}),
      // A write through the lease keeps it: the lease is the blob's, not its content's.
      ...(world.blobs[key]?.lease ? { lease: world.blobs[key]!.lease } : {}),
    };
    world.blobs[key] = record;
    return {
      status: 201,
      headers: {
        ...headers,
        etag: record.etag,
        "last-modified": new Date(record.lastModifiedMs).toUTCString(),
        "content-md5": record.contentMd5,
        "x-ms-request-server-encrypted": "true",
      },
    };
  }
  const b = world.blobs[key];
  if (!b) return storageError(404, "BlobNotFound", "The specified blob does not exist.", req.method);
  if (req.method === "DELETE") {
    const refused = writeRefusal(req, b, now, leasePace(ctx.speed));
    if (refused) return storageError(refused.status, refused.code, refused.message, req.method);
    delete world.blobs[key];
    return { status: 202, headers: { ...headers, "x-ms-delete-type-permanent": "true" } };
  }
  const props = {
    ...headers,
    etag: b.etag,
    "last-modified": new Date(b.lastModifiedMs).toUTCString(),
    "content-type": b.contentType,
    "content-md5": b.contentMd5,
    "x-ms-blob-type": "BlockBlob",
    "x-ms-creation-time": new Date(b.lastModifiedMs).toUTCString(),
    ...leaseHeaders(b.lease, now, leasePace(ctx.speed)),
    "x-ms-server-encrypted": "true",
    "accept-ranges": "bytes",
    ...(b.copy
      ? {
          "x-ms-copy-id": b.copy.id,
          "x-ms-copy-source": b.copy.source,
          "x-ms-copy-status": "success",
          "x-ms-copy-progress": `${b.size}/${b.size}`,
          "x-ms-copy-completion-time": new Date(b.copy.completedMs).toUTCString(),
        }
      : {}),
    ...Object.fromEntries(Object.entries(b.metadata ?? {}).map(([k, v]) => [`x-ms-meta-${k}`, v])),
  };
  // Get Blob Metadata.
  if ((req.method === "GET" || req.method === "HEAD") && q.get("comp") === "metadata") {
    return {
      status: 200,
      headers: {
        ...headers,
        etag: b.etag,
        "last-modified": props["last-modified"],
        ...Object.fromEntries(Object.entries(b.metadata ?? {}).map(([k, v]) => [`x-ms-meta-${k}`, v])),
      },
    };
  }
  if (req.method === "HEAD") return { status: 200, headers: { ...props, "content-length": String(b.size) } };
  if (req.method !== "GET") return storageError(405, "UnsupportedHttpVerb", "The resource doesn't support the specified HTTP verb.", req.method);
  // Get Block List: the blocks a staged upload committed (a blob put whole has none).
  if (q.get("comp") === "blocklist") {
    const items = (b.blocks ?? []).map((x) => `<Block><Name>${escapeXml(x.id)}</Name><Size>${x.size}</Size></Block>`).join("");
    const xml = `${XML_HEAD}<BlockList><CommittedBlocks>${items}</CommittedBlocks><UncommittedBlocks /></BlockList>`;
    return {
      status: 200,
      headers: {
        ...headers,
        etag: b.etag,
        "last-modified": props["last-modified"],
        "content-type": "application/xml",
        "x-ms-blob-content-length": String(b.size),
      },
      body: Buffer.from(xml),
    };
  }
  if (q.get("comp") !== null)
    return storageError(
      400,
      "InvalidQueryParameterValue",
      `Value for one of the query parameters specified in the request URI is invalid (comp=${q.get("comp")} is not served by the sandbox).`,
      req.method,
    );
  const content = contents.get(b.sha256) ?? Buffer.alloc(0);
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers["x-ms-range"] ?? req.headers.range ?? ""));
  if (range) {
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : content.length - 1, content.length - 1);
    if (start >= content.length) return storageError(416, "InvalidRange", "The range specified is invalid for the current size of the resource.", req.method);
    return { status: 206, headers: { ...props, "content-range": `bytes ${start}-${end}/${content.length}` }, body: content.subarray(start, end + 1) };
  }
  return { status: 200, headers: props, body: content };
}
