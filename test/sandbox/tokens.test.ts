import { describe, expect, it } from "vitest";
import { TokenAuthority } from "../../src/sandbox/tokens.js";

describe("the sandbox's token authority", () => {
  const tenant = "01fad2ab-ff08-499b-a96c-e9e374c83e4e";
  it("accepts a token on its own surface and tenant only", async () => {
    const authority = new TokenAuthority(tenant);
    const arm = authority.primaryToken;
    expect(authority.check(arm, "arm", tenant)).toEqual({ kind: "valid" });
    expect(authority.check(arm, "arm", "another-tenant")).toEqual({ kind: "tenant", tenantId: tenant });
    expect(authority.check(arm, "ml")).toEqual({ kind: "audience", audience: "https://management.azure.com/" });
    expect(authority.check(authority.mint(), "ml")).toEqual({ kind: "valid" });
    expect(authority.check(authority.mint(), "arm")).toEqual({ kind: "audience", audience: "https://ml.azure.com" });
  });

  it("refuses another authority's token, a tampered one, and an expired one", () => {
    let now = Date.now();
    const authority = new TokenAuthority(tenant, undefined, () => now);
    expect(authority.check(new TokenAuthority(tenant).primaryToken, "arm").kind).toBe("invalid");
    const [h, p] = authority.primaryToken.split(".");
    expect(authority.check(`${h}.${p}.AAAA`, "arm").kind).toBe("invalid");
    now += 25 * 3600_000;
    expect(authority.check(authority.primaryToken, "arm").kind).toBe("invalid");
  });

  it("keeps accepting the token other processes were given by an earlier start, on ARM only", () => {
    const earlier = new TokenAuthority(tenant).primaryToken;
    const restarted = new TokenAuthority(tenant, earlier);
    expect(restarted.check(earlier, "arm", tenant).kind).toBe("valid");
    expect(restarted.check(earlier, "storage").kind).toBe("audience");
  });
});
