import { RestError } from "@azure/core-rest-pipeline";

/** A failed Azure call: enough to act on (status, code) and to report (request id, operation). */
export class AzureRequestError extends Error {
  override readonly name = "AzureRequestError";
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    readonly requestId: string | undefined,
    readonly operation: string,
  ) {
    super(message);
  }
}

/** Not signed in, or the Azure CLI is missing: the user fixes it with `az login`. */
export class NotSignedInError extends Error {
  override readonly name = "NotSignedInError";
}

/**
 * Turns what the Azure SDKs throw into this project's errors, so the CLI never needs to know SDK classes.
 * Anything else passes through unchanged.
 */
export function toAzureError(e: unknown, operation: string): unknown {
  if (e instanceof AzureRequestError || e instanceof NotSignedInError) return e;
  if (e instanceof RestError) {
    const body = e.details as { error?: { code?: string; message?: string } } | undefined;
    return new AzureRequestError(body?.error?.message ?? e.message, e.statusCode, e.code ?? body?.error?.code, e.response?.headers.get("x-ms-request-id") ?? undefined, operation);
  }
  if (e instanceof Error && (e.name === "CredentialUnavailableError" || e.name === "AuthenticationRequiredError")) {
    return new NotSignedInError(e.message);
  }
  return e;
}
