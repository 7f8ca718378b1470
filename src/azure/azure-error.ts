import { isRestError } from "@azure/core-rest-pipeline";
import { AzureRequestError, NotSignedInError } from "../migration/errors.js";

export { AzureRequestError, NotSignedInError };

/**
 * Turns what the Azure SDKs throw into this project's errors, so the CLI never needs to know SDK classes.
 * Anything else passes through unchanged.
 */
export function toAzureError(e: unknown, operation: string): unknown {
  if (e instanceof AzureRequestError || e instanceof NotSignedInError) return e;
  // isRestError, not instanceof: clients built on other copies of the pipeline throw their own RestError class.
  if (isRestError(e)) {
    const body = e.details as { error?: { code?: string; message?: string } } | undefined;
    return new AzureRequestError(
      body?.error?.message ?? e.message,
      e.statusCode,
      e.code ?? body?.error?.code,
      e.response?.headers.get("x-ms-request-id") ?? undefined,
      operation,
    );
  }
  if (e instanceof Error && ["CredentialUnavailableError", "AuthenticationRequiredError", "AggregateAuthenticationError"].includes(e.name)) {
    return new NotSignedInError(e.message);
  }
  return e;
}

/** Runs an Azure call, turning SDK errors into this project's (AzureRequestError, NotSignedInError). */
export async function translate<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw toAzureError(e, operation);
  }
}
