import { signedWith } from "./storage-shared-key.js";

/**
 * Storage's shared access signatures, checked as Azure checks them (learn.microsoft.com/rest/api/storageservices:
 * "Create a service SAS", "Create an account SAS"): the `sig` is an HMAC-SHA256, with one of the account's keys,
 * of a string built from the SAS's own fields and the resource the request names, laid out per signed version
 * (`sv`). A SAS for one blob does not open another (the resource is in the signed string); a SAS that has
 * expired, has not started, or lacks the permission the operation needs is refused in Storage's words.
 */
export interface SasResource {
  readonly account: string;
  readonly container: string;
  /** The blob, decoded; absent for a container operation. */
  readonly blob?: string;
}

/** What an operation needs of a SAS: sp's letter(s), any of which will do (a new blob is written with c or w). */
export type SasPermission = "r" | "l" | "d" | "cw";

export type SasCheck =
  | { readonly kind: "none" }
  | { readonly kind: "valid" }
  | { readonly kind: "refused"; readonly status: number; readonly code: string; readonly detail: string };

const FIRST_SERVICE_SAS_VERSION = "2015-04-05";

/** Whether the query carries a SAS in Azure's format (a signed version and a signature). */
export function hasStorageSas(query: URLSearchParams): boolean {
  return query.has("sig") && query.has("sv");
}

export function checkStorageSas(query: URLSearchParams, resource: SasResource, keys: readonly string[], need: SasPermission, now: number): SasCheck {
  if (!hasStorageSas(query)) return { kind: "none" };
  const field = (name: string) => query.get(name) ?? "";
  const account = query.has("ss");
  const stringToSign = account ? accountStringToSign(resource.account, field) : serviceStringToSign(resource, field, query);
  if (stringToSign === undefined)
    return refused(
      403,
      "AuthenticationFailed",
      `The signed resource or version of the SAS is not valid for this request (sr=${field("sr")}, sv=${field("sv")}).`,
    );
  if (!keys.some((key) => signedWith(key, stringToSign, field("sig"))))
    return refused(403, "AuthenticationFailed", `Signature did not match. String to sign used was ${stringToSign}`);
  const start = field("st") ? Date.parse(field("st")) : undefined;
  const expiry = Date.parse(field("se"));
  if (!Number.isFinite(expiry) || now > expiry || (start !== undefined && now < start))
    return refused(
      403,
      "AuthenticationFailed",
      `Signature not valid in the specified time frame: Start [${start === undefined ? "" : new Date(start).toUTCString()}] - Expiry [${Number.isFinite(expiry) ? new Date(expiry).toUTCString() : field("se")}] - Current [${new Date(now).toUTCString()}]`,
    );
  if (account && !(field("ss").includes("b") && field("srt").includes(resource.blob === undefined ? "c" : "o")))
    return refused(403, "AuthorizationResourceTypeMismatch", "This request is not authorized to perform this operation using this resource type.");
  if (![...need].some((p) => field("sp").includes(p)))
    return refused(403, "AuthorizationPermissionMismatch", "This request is not authorized to perform this operation using this permission.");
  return { kind: "valid" };
}

function refused(status: number, code: string, detail: string): SasCheck {
  return { kind: "refused", status, code, detail };
}

/** A service SAS's string to sign for the requested resource, or undefined when sr does not fit the request. */
function serviceStringToSign(r: SasResource, field: (name: string) => string, query: URLSearchParams): string | undefined {
  const sv = field("sv");
  const sr = field("sr");
  if (sv < FIRST_SERVICE_SAS_VERSION) return undefined;
  const onBlob = sr === "b" || sr === "bs" || sr === "bv";
  if (!(onBlob && r.blob !== undefined) && sr !== "c") return undefined;
  const canonical = `/blob/${r.account}/${r.container}${onBlob ? `/${r.blob}` : ""}`;
  const head = [field("sp"), field("st"), field("se"), canonical, field("si"), field("sip"), field("spr"), sv];
  const headers = [field("rscc"), field("rscd"), field("rsce"), field("rscl"), field("rsct")];
  if (sv < "2018-11-09") return [...head, ...headers].join("\n");
  const timestamp = sr === "bs" ? (query.get("snapshot") ?? "") : sr === "bv" ? (query.get("versionid") ?? "") : "";
  const scope = sv < "2020-12-06" ? [] : [field("ses")];
  return [...head, sr, timestamp, ...scope, ...headers].join("\n");
}

/** An account SAS's string to sign (it names no resource: ss and srt say which ones it opens). */
function accountStringToSign(accountName: string, field: (name: string) => string): string {
  const sv = field("sv");
  const scope = sv < "2020-12-06" ? [] : [field("ses")];
  return [accountName, field("sp"), field("ss"), field("srt"), field("st"), field("se"), field("sip"), field("spr"), sv, ...scope, ""].join("\n");
}

/** The SAS permission a blob request needs, by its verb and query. */
export function permissionFor(method: string, query: URLSearchParams, onBlob: boolean): SasPermission {
  if (method === "DELETE") return "d";
  if (method === "GET" || method === "HEAD") return !onBlob && query.get("comp") === "list" ? "l" : "r";
  return "cw";
}
