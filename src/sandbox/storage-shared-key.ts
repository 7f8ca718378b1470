import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/**
 * Storage's SharedKey check (learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key): the
 * signature is an HMAC-SHA256, with the account's key, of the verb, twelve standard headers, the x-ms- headers and
 * the resource (`/ACCOUNT` + the path as sent + the query). The two SDKs order Content-Encoding and
 * Content-Language differently (azure-storage-blob as documented, @azure/storage-blob swapped), both empty unless
 * set; Azure accepts what its SDKs send, so both orders are tried.
 */
export interface SignedRequest {
  readonly method: string;
  /** The path as the client sent it, percent-encoding and all. */
  readonly rawPath: string;
  /** The query as sent, without "?". */
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(",") : (v ?? ""));

function canonicalHeaders(headers: IncomingHttpHeaders): string {
  return Object.keys(headers)
    .filter((n) => n.startsWith("x-ms-"))
    .sort()
    .map((n) => `${n}:${one(headers[n]).trimStart()}\n`)
    .join("");
}

function canonicalResource(account: string, req: SignedRequest): string {
  const values = new Map<string, string[]>();
  for (const pair of req.rawQuery.split("&").filter(Boolean)) {
    const at = pair.indexOf("=");
    const name = decodeURIComponent(at < 0 ? pair : pair.slice(0, at)).toLowerCase();
    const value = at < 0 ? "" : decodeURIComponent(pair.slice(at + 1).replace(/\+/g, "%20"));
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  const query = [...values.keys()].sort().map((n) => `\n${n}:${values.get(n)!.sort().join(",")}`);
  return `/${account}${req.rawPath || "/"}${query.join("")}`;
}

/** The strings a client may have signed for this request (see above). */
export function stringsToSign(account: string, req: SignedRequest): string[] {
  const h = (name: string) => {
    const v = one(req.headers[name]);
    return name === "content-length" && v === "0" ? "" : v;
  };
  const rest = ["content-length", "content-md5", "content-type", "date", "if-modified-since", "if-match", "if-none-match", "if-unmodified-since", "range"].map(
    h,
  );
  const tail = `\n${canonicalHeaders(req.headers)}${canonicalResource(account, req)}`;
  return [
    [req.method, h("content-encoding"), h("content-language"), ...rest].join("\n") + tail,
    [req.method, h("content-language"), h("content-encoding"), ...rest].join("\n") + tail,
  ];
}

export type SharedKeyVerdict =
  { readonly kind: "absent" } | { readonly kind: "valid" } | { readonly kind: "invalid"; readonly signature: string; readonly stringToSign: string };

/** Whether the request's `Authorization: SharedKey ACCOUNT:SIGNATURE` was signed with one of the account's keys. */
export function verifySharedKey(account: string, keys: readonly string[], req: SignedRequest): SharedKeyVerdict {
  const m = /^SharedKey ([^:\s]+):(\S+)$/.exec(one(req.headers.authorization));
  if (!m) return { kind: "absent" };
  const signature = m[2]!;
  const candidates = stringsToSign(account, req);
  if (m[1] === account) {
    if (keys.some((key) => candidates.some((text) => signedWith(key, text, signature)))) return { kind: "valid" };
  }
  return { kind: "invalid", signature, stringToSign: candidates[0]! };
}

/** Whether `signature` is Storage's HMAC-SHA256 of `text` with the (base64) account key: SharedKey's and a SAS's. */
export function signedWith(accountKey: string, text: string, signature: string): boolean {
  const expected = Buffer.from(createHmac("sha256", Buffer.from(accountKey, "base64")).update(text, "utf8").digest("base64"));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
