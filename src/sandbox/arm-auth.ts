import { armError, HttpError } from "./http.js";
import { sameName } from "./ids.js";
import { bearerToken, type TokenAuthority } from "./tokens.js";
import type { SandboxWorld } from "./world.js";

const ALLOWED_AUDIENCES =
  "'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'";

/**
 * ARM's refusal of a request's bearer token (undefined: it may pass), in ARM's words: none, not this sandbox's
 * or expired, minted for another audience (an Azure ML token from an endpoint's /token, say), or from a tenant
 * other than the subscription's.
 */
export function armTokenProblem(world: SandboxWorld, tokens: TokenAuthority, path: string, authorization: string | undefined): HttpError | undefined {
  const subscriptionId = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1];
  const tenantId = subscriptionId ? world.subscriptions.find((s) => sameName(s.subscriptionId, subscriptionId))?.tenantId : undefined;
  const verdict = tokens.check(bearerToken(authorization), "arm", tenantId);
  if (verdict.kind === "valid") return undefined;
  const e = !authorization
    ? armError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
    : verdict.kind === "audience"
      ? armError(
          401,
          "InvalidAuthenticationTokenAudience",
          `The access token has been obtained for wrong audience or resource '${verdict.audience}'. It should exactly match with one of the allowed audiences ${ALLOWED_AUDIENCES}.`,
        )
      : verdict.kind === "tenant"
        ? armError(
            401,
            "InvalidAuthenticationTokenTenant",
            `The access token is from the wrong issuer 'https://sts.windows.net/${verdict.tenantId}/'. It must match the tenant 'https://sts.windows.net/${tenantId}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${tenantId}' to get the token.`,
          )
        : armError(401, "InvalidAuthenticationToken", "The access token is invalid.");
  return new HttpError(e.status, e.code, e.message, undefined, {
    "WWW-Authenticate": `Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="${e.message}"`,
  });
}
