import { randomBytes } from "node:crypto";

/** The scope every ARM client asks for; the sandbox issues tokens for it and nothing else. */
export const ARM_SCOPE = "https://management.azure.com/.default";

export interface AccessToken {
  token: string;
  expiresOnTimestamp: number;
}

/** Structurally a `TokenCredential` from @azure/core-auth, without importing it (the sandbox is a server). */
export interface SandboxCredential {
  getToken(scopes: string | string[]): Promise<AccessToken | null>;
}

/**
 * Issues and checks the bearer tokens the sandbox accepts. One long-lived token is minted at start (printed by
 * `aci-migrate sandbox` for other processes); the credential hands that same token out.
 */
export class TokenAuthority {
  private readonly valid = new Set<string>();
  readonly primaryToken: string;

  constructor(knownToken?: string) {
    this.primaryToken = knownToken ?? `sandbox.${randomBytes(24).toString("base64url")}`;
    this.valid.add(this.primaryToken);
  }

  /** Mints an extra token, e.g. an Azure ML token for an AMLToken endpoint. */
  mint(prefix: string): string {
    const token = `${prefix}.${randomBytes(24).toString("base64url")}`;
    this.valid.add(token);
    return token;
  }

  isValid(token: string | undefined): boolean {
    return token !== undefined && this.valid.has(token);
  }

  credential(): SandboxCredential {
    return {
      getToken: async (scopes) => {
        const list = Array.isArray(scopes) ? scopes : [scopes];
        if (!list.every((s) => s === ARM_SCOPE || s === "https://management.azure.com//.default" || s === "https://ml.azure.com/.default")) {
          throw new Error(`The sandbox credential only issues tokens for ${ARM_SCOPE} (asked for ${list.join(", ")}).`);
        }
        return { token: this.primaryToken, expiresOnTimestamp: Date.now() + 3600_000 };
      },
    };
  }
}

/** The bearer token of a request, if it carries one. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  return m?.[1];
}
