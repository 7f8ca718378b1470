import type { HttpError, SandboxResponse } from "./http.js";
import { PROVIDER } from "./ids.js";

/** Errors ARM itself answers (before the resource provider is asked): `{ error: { code, message } }` only. */
const ARM_FRONT_DOOR_CODES = new Set([
  "AuthenticationFailed",
  "InvalidAuthenticationToken",
  "InvalidAuthenticationTokenAudience",
  "InvalidAuthenticationTokenTenant",
  "MissingApiVersionParameter",
  "InvalidApiVersionParameter",
  "NoRegisteredProviderFound",
  "SubscriptionNotFound",
  "ResourceGroupNotFound",
  "SandboxNotImplemented",
]);

/**
 * Azure ML's resource provider answers errors in ARM's full shape: each detail with its own `details` and
 * `additionalInfo`, and `additionalInfo` naming the component, the correlation, the region and the time (the
 * shape azure-core's ODataV4Format and the SDKs' ErrorResponse read; an Azure ML 404 carries all of it).
 */
export function providerErrorResponse(e: HttpError, path: string, requestId: string, nowMs: number): SandboxResponse | undefined {
  if (ARM_FRONT_DOOR_CODES.has(e.code) || !path.toLowerCase().includes(`/providers/${PROVIDER.toLowerCase()}/`)) return undefined;
  const location = /\/locations\/([^/]+)/i.exec(path)?.[1] ?? "eastus";
  const info = (type: string, value: unknown) => ({ type, info: { value } });
  return {
    status: e.status,
    headers: e.headers,
    body: {
      error: {
        code: e.code,
        message: e.message,
        details: (e.details ?? []).map((d) => ({ code: d.code, message: d.message, details: [], additionalInfo: [] })),
        additionalInfo: [
          info("ComponentName", "managementfrontend"),
          info("Correlation", { operation: requestId.replace(/-/g, ""), request: requestId.replace(/-/g, "").slice(0, 16) }),
          info("Environment", location),
          info("Location", location),
          info("Time", new Date(nowMs).toISOString()),
        ],
      },
    },
  };
}
