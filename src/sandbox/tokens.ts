import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

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

/** The audience of an ARM token, as Microsoft Entra ID writes it. */
const ARM_AUDIENCE = "https://management.azure.com/";
const ML_AUDIENCE = "https://ml.azure.com";
const STORAGE_AUDIENCE = "https://storage.azure.com/";

/** Where a token is presented: each surface takes tokens minted for its own audience only, as Azure's do. */
export type TokenSurface = "arm" | "ml" | "storage";
const AUDIENCES: Record<TokenSurface, readonly string[]> = {
  arm: [ARM_AUDIENCE, "https://management.azure.com", "https://management.core.windows.net/", "https://management.core.windows.net"],
  ml: [ML_AUDIENCE, "https://ml.azure.com/"],
  storage: [STORAGE_AUDIENCE, "https://storage.azure.com"],
};
/** The audience a credential's scope asks for (`AUDIENCE/.default`). */
const SCOPE_AUDIENCE: Record<string, string> = {
  [ARM_SCOPE]: ARM_AUDIENCE,
  "https://management.azure.com//.default": ARM_AUDIENCE,
  "https://management.core.windows.net//.default": ARM_AUDIENCE,
  "https://ml.azure.com/.default": ML_AUDIENCE,
  "https://storage.azure.com/.default": STORAGE_AUDIENCE,
};

export type TokenVerdict =
  | { readonly kind: "valid" }
  | { readonly kind: "invalid" }
  | { readonly kind: "audience"; readonly audience: string }
  | { readonly kind: "tenant"; readonly tenantId: string };
/** How long the token printed for other processes lasts: a working day. Tokens the credential hands out last an hour, as Entra's do. */
const PRIMARY_LIFETIME_S = 24 * 3600;
const TOKEN_LIFETIME_S = 3600;

const b64url = (x: string | Buffer) => Buffer.from(x).toString("base64url");

/**
 * Issues and checks the bearer tokens the sandbox accepts: JWTs shaped as Microsoft Entra ID's (header, claims
 * with `aud`, `iss`, `tid`, `oid`, `exp`; clients such as the v1 SDK decode them), signed with HS256 under a
 * secret made at each start, so only this sandbox's tokens pass, and none once expired. One token is minted at
 * start (printed by `aci-migrate sandbox` for other processes); the credential mints fresh ones.
 */
export class TokenAuthority {
  private readonly secret = randomBytes(32);
  private readonly accepted = new Set<string>();
  readonly primaryToken: string;
  readonly oid = randomUUID();

  constructor(
    private readonly tenantId: string,
    knownToken?: string,
    private readonly now: () => number = Date.now,
  ) {
    this.primaryToken = knownToken ?? this.sign(ARM_AUDIENCE, PRIMARY_LIFETIME_S);
    // A restarted sandbox keeps accepting the token other processes were given (signed by the earlier secret).
    if (knownToken) this.accepted.add(knownToken);
  }

  /** Mints an extra token, e.g. an Azure ML token for an AMLToken endpoint. */
  mint(): string {
    return this.sign(ML_AUDIENCE, TOKEN_LIFETIME_S);
  }

  /** Whether a token is this sandbox's, unexpired, for the surface's audience and (when given) the resource's tenant. */
  check(token: string | undefined, surface: TokenSurface, tenantId?: string): TokenVerdict {
    const claims = this.claimsOf(token);
    if (!claims) return { kind: "invalid" };
    if (!AUDIENCES[surface].includes(String(claims.aud))) return { kind: "audience", audience: String(claims.aud) };
    if (tenantId && claims.tid !== tenantId) return { kind: "tenant", tenantId: String(claims.tid) };
    return { kind: "valid" };
  }

  isValid(token: string | undefined, surface: TokenSurface = "arm"): boolean {
    return this.check(token, surface).kind === "valid";
  }

  /** The claims of a token this sandbox signed (or was given at start) that has not expired, else undefined. */
  private claimsOf(token: string | undefined): { aud?: unknown; tid?: unknown; exp?: unknown } | undefined {
    if (!token) return undefined;
    const [header, payload, signature] = token.split(".");
    if (!header || !payload || !signature) return undefined;
    if (!this.accepted.has(token)) {
      const expected = createHmac("sha256", this.secret).update(`${header}.${payload}`).digest();
      const given = Buffer.from(signature, "base64url");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    }
    try {
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { aud?: unknown; tid?: unknown; exp?: unknown };
      return typeof claims.exp === "number" && claims.exp * 1000 > this.now() ? claims : undefined;
    } catch {
      return undefined;
    }
  }

  credential(): SandboxCredential {
    return {
      getToken: async (scopes) => {
        const list = Array.isArray(scopes) ? scopes : [scopes];
        const audience = SCOPE_AUDIENCE[list[0] ?? ""];
        if (!audience || list.some((s) => SCOPE_AUDIENCE[s] !== audience)) {
          throw new Error(`The sandbox credential issues tokens for ${Object.keys(SCOPE_AUDIENCE).join(", ")} (asked for ${list.join(", ")}).`);
        }
        const token = this.sign(audience, TOKEN_LIFETIME_S);
        return { token, expiresOnTimestamp: this.now() + TOKEN_LIFETIME_S * 1000 };
      },
    };
  }

  private sign(aud: string, lifetimeS: number): string {
    const iat = Math.floor(this.now() / 1000);
    const header = b64url(JSON.stringify({ typ: "JWT", alg: "HS256", kid: "aci-migrate-sandbox" }));
    const claims = {
      aud,
      iss: `https://sts.windows.net/${this.tenantId}/`,
      iat,
      nbf: iat - 60,
      exp: iat + lifetimeS,
      tid: this.tenantId,
      oid: this.oid,
      sub: this.oid,
      upn: "sandbox.user@contoso.example",
      unique_name: "sandbox.user@contoso.example",
      name: "Sandbox User",
      appid: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", // the Azure CLI's client id, as `az login` tokens carry
      ver: "1.0",
      jti: randomBytes(8).toString("hex"),
    };
    const payload = b64url(JSON.stringify(claims));
    const signature = createHmac("sha256", this.secret).update(`${header}.${payload}`).digest("base64url");
    return `${header}.${payload}.${signature}`;
  }
}

/** The bearer token of a request, if it carries one. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  return m?.[1];
}
