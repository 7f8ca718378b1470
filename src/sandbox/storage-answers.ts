import type { SandboxRequest, SandboxResponse } from "./http.js";

/** What the Blob service's answers share: the XML prolog and the version it speaks. */
export const XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>';
export const STORAGE_VERSION = "2024-08-04";

export const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);

/** A Storage error as Azure answers it: the code in x-ms-error-code and in the XML body (none for HEAD). */
export function storageError(status: number, code: string, message: string, method: string, detail?: string): SandboxResponse {
  const more = detail ? `<AuthenticationErrorDetail>${escapeXml(detail)}</AuthenticationErrorDetail>` : "";
  const body = method === "HEAD" ? undefined : Buffer.from(`${XML_HEAD}<Error><Code>${code}</Code><Message>${message}</Message>${more}</Error>`);
  return { status, headers: { "x-ms-error-code": code, "content-type": "application/xml", "x-ms-version": STORAGE_VERSION }, body };
}

/** The `x-ms-meta-*` headers of a request, as a blob's metadata (names lower-cased, as HTTP delivers them). */
export function metadataOf(headers: SandboxRequest["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (name.startsWith("x-ms-meta-") && value !== undefined) out[name.slice("x-ms-meta-".length)] = String(value);
  return out;
}
