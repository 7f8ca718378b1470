import type { SandboxContext } from "./context.js";
import type { SandboxRequest } from "./http.js";
import { signBlobPath } from "./routes/model-management.js";
import { accountKeys } from "./routes/storage-accounts.js";
import { verifySharedKey } from "./storage-shared-key.js";
import { checkStorageSas, permissionFor } from "./storage-sas.js";
import { bearerToken } from "./tokens.js";

export interface BlobAuthRefusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** Storage's AuthenticationErrorDetail. */
  readonly detail?: string;
}

const NOT_AUTHENTICATED = "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.";

/**
 * Why Storage refuses a blob request's credentials (undefined: they pass), in Storage's words. A request passes
 * with SharedKey signed by one of the account's keys, a SAS signed with one (Azure's format, storage-sas.ts, or the
 * sandbox's own for the asset URIs it hands out), or a token for Storage's audience.
 */
export function blobAuthRefusal(req: SandboxRequest, ctx: SandboxContext, account: string, accountKey: string): BlobAuthRefusal | undefined {
  const sharedKey = verifySharedKey(account, accountKeys(ctx, account), {
    method: req.method,
    rawPath: req.sentPath,
    rawQuery: req.sentQuery,
    headers: req.headers,
  });
  if (sharedKey.kind === "invalid") {
    return {
      status: 403,
      code: "AuthenticationFailed",
      message: NOT_AUTHENTICATED,
      detail: `The MAC signature found in the HTTP request '${sharedKey.signature}' is not the same as any computed signature. Server used following string to sign: '${sharedKey.stringToSign}'.`,
    };
  }
  const bearer = bearerToken(req.headers.authorization);
  const oauth = bearer === undefined ? undefined : ctx.tokens.check(bearer, "storage");
  if (oauth?.kind === "audience") {
    return {
      status: 401,
      code: "InvalidAuthenticationInfo",
      message: "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.",
      detail: "Audience validation failed. Audience did not match.",
    };
  }
  const [, , container = "", ...rest] = req.path.split("/");
  const blob = rest.length ? rest.map(decodeURIComponent).join("/") : undefined;
  const query = req.url.searchParams;
  const azureSas = checkStorageSas(
    query,
    { account, container, blob },
    accountKeys(ctx, account),
    permissionFor(req.method, query, blob !== undefined),
    ctx.clock.now(),
  );
  if (azureSas.kind === "refused") {
    return azureSas.code === "AuthenticationFailed"
      ? { status: azureSas.status, code: azureSas.code, message: NOT_AUTHENTICATED, detail: azureSas.detail }
      : { status: azureSas.status, code: azureSas.code, message: azureSas.detail };
  }
  const se = Number(req.url.searchParams.get("se"));
  const sig = req.url.searchParams.get("sig");
  const sas = sig !== null && se > ctx.clock.now() && sig === signBlobPath(accountKey, req.path, se);
  if (sharedKey.kind !== "valid" && !sas && azureSas.kind !== "valid" && oauth?.kind !== "valid")
    return { status: 403, code: "AuthenticationFailed", message: NOT_AUTHENTICATED };
  return undefined;
}
