import { request } from "node:https";
import { describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/sandbox.js";

const h = useSandbox();

function rawGet(path: string, authorization?: string): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, h.sb.armEndpoint);
    const req = request(url, { ca: h.sb.caPem, headers: authorization ? { authorization } : {} }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("subscriptions and tenants (@azure/arm-resources-subscriptions)", () => {
  it("lists two subscriptions in one tenant", async () => {
    const client = h.subscriptions();
    const subs = [];
    for await (const s of client.subscriptions.list()) subs.push(s);
    expect(subs.map((s) => s.displayName)).toEqual(["Contoso ML Production", "Contoso Dev (empty)"]);
    const tenants = [];
    for await (const t of client.tenants.list()) tenants.push(t);
    expect(tenants.map((t) => t.tenantId)).toEqual([subs[0]!.tenantId]);
    expect((await client.subscriptions.get(subs[1]!.subscriptionId!)).state).toBe("Enabled");
  });
});

describe("workspaces (@azure/arm-machinelearning)", () => {
  it("lists by subscription and by resource group, gets one, and the empty subscription has none", async () => {
    const ml = h.ml();
    const all = [];
    for await (const w of ml.workspaces.listBySubscription()) all.push(w);
    expect(all.map((w) => `${w.location}/${w.name}`).sort()).toEqual(["eastus/ml-batch-eastus", "eastus/ml-prod-eastus", "westeurope/ml-risk-westeurope"]);
    const rg = [];
    for await (const w of ml.workspaces.listByResourceGroup("rg-ml-risk")) rg.push(w.name);
    expect(rg).toEqual(["ml-risk-westeurope"]);
    const ws = await ml.workspaces.get("rg-ml-prod", "ml-prod-eastus");
    expect(ws.discoveryUrl).toBe(`${h.sb.armEndpoint}/discovery/eastus`);
    expect(ws.workspaceId).toMatch(/^[0-9a-f-]{36}$/);

    const empty = [];
    for await (const w of h.ml(h.sb.world.subscriptions[1]!.subscriptionId).workspaces.listBySubscription()) empty.push(w);
    expect(empty).toEqual([]);
  });

  it("answers 404 for a workspace that does not exist", async () => {
    await expect(h.ml().workspaces.get("rg-ml-prod", "nope")).rejects.toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
  });
});

describe("bearer tokens", () => {
  const path = () => `/subscriptions?api-version=2022-12-01`;
  it("401 without a token, in ARM's error shape with a challenge", async () => {
    const r = await rawGet(path());
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("AuthenticationFailed");
    expect(String(r.headers["www-authenticate"])).toMatch(/^Bearer /);
  });
  it("401 with a wrong token", async () => {
    const r = await rawGet(path(), "Bearer not-a-sandbox-token");
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("InvalidAuthenticationToken");
  });
  it("200 with the sandbox's token", async () => {
    const r = await rawGet(path(), `Bearer ${h.sb.token}`);
    expect(r.status).toBe(200);
    expect(r.body.value).toHaveLength(2);
  });
  it("the credential mints a token per audience, each refused by the other surfaces; other scopes are refused", async () => {
    const audienceOf = (t: string) => JSON.parse(Buffer.from(t.split(".")[1]!, "base64url").toString()).aud;
    const ml = (await h.sb.credential.getToken("https://ml.azure.com/.default"))!.token;
    const storage = (await h.sb.credential.getToken("https://storage.azure.com/.default"))!.token;
    expect([audienceOf(ml), audienceOf(storage)]).toEqual(["https://ml.azure.com", "https://storage.azure.com/"]);
    for (const token of [ml, storage]) {
      const r = await rawGet(path(), `Bearer ${token}`);
      expect([r.status, r.body.error.code]).toEqual([401, "InvalidAuthenticationTokenAudience"]);
      expect(r.body.error.message).toContain(audienceOf(token));
    }
    await expect(h.sb.credential.getToken("https://vault.azure.net/.default")).rejects.toThrow(/issues tokens for/);
  });
  it("TLS: a client that does not trust the sandbox certificate is refused", async () => {
    const r = new Promise((resolve, reject) => {
      const req = request(new URL(path(), h.sb.armEndpoint), (res) => resolve(res.statusCode));
      req.on("error", reject);
      req.end();
    });
    await expect(r).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });
});

describe("usages and VM sizes", () => {
  it("lists per-family usage with limits, and the 85 VM sizes", async () => {
    const ml = h.ml();
    const usages = [];
    for await (const u of ml.usages.list("eastus")) usages.push(u);
    const ds = usages.find((u) => u.name?.value === "standardDSv2Family");
    expect(ds).toMatchObject({ currentValue: 0, limit: 100, unit: "Count" });
    const sizes = await ml.virtualMachineSizes.list("eastus");
    expect(sizes.value).toHaveLength(85);
    expect(sizes.value!.find((s) => s.name === "Standard_DS2_v2")).toMatchObject({ vCPUs: 2, memoryGB: 7 });
  });
});
