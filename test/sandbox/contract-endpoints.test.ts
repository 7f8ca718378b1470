import { describe, expect, it } from "vitest";
import { pollAfter } from "../../src/sandbox/routes/online-endpoints.js";
import type { SandboxContext } from "../../src/sandbox/context.js";
import { FAST, useSandbox } from "../helpers/sandbox.js";
import { score } from "../helpers/score.js";

const h = useSandbox();
const RG = "rg-ml-prod";
const WS = "ml-prod-eastus";

describe("online endpoints: create → read → keys → update → delete", () => {
  it("creates with carried keys (201 + Azure-AsyncOperation), polls to Succeeded, never returns keys except via listKeys", async () => {
    const ml = h.ml();
    const rawResponses: { status: number; headers: Record<string, string> }[] = [];
    const poller = await ml.onlineEndpoints.beginCreateOrUpdate(
      RG,
      WS,
      "churn-online",
      {
        location: "eastus",
        identity: { type: "SystemAssigned" },
        tags: { "migrated-from": "churn-keyauth" },
        properties: { authMode: "Key", keys: { primaryKey: "carried-primary-0001", secondaryKey: "carried-secondary-0002" } },
      },
      { ...FAST, onResponse: (raw) => rawResponses.push({ status: raw.status, headers: raw.headers.toJSON() }) },
    );
    expect(poller.isDone()).toBe(false);
    const created = await poller.pollUntilDone();
    expect(created.properties.provisioningState).toBe("Succeeded");
    expect(created.tags).toEqual({ "migrated-from": "churn-keyauth" });
    const first = rawResponses[0]!;
    expect(first.status).toBe(201);
    expect(first.headers["azure-asyncoperation"]).toMatch(new RegExp(`^${h.sb.armEndpoint}/subscriptions/.*/mfeOperationsStatus/oe:`));
    expect(first.headers["x-ms-async-operation-timeout"]).toBe("PT30M");
    // Azure's 5 s between polls, at speed 1000: said in milliseconds, since Python's pollers take "Retry-After: 0" as "your own 5 s".
    expect([first.headers["retry-after-ms"], first.headers["retry-after"]]).toEqual(["5", undefined]);

    const got = await ml.onlineEndpoints.get(RG, WS, "churn-online");
    expect(got.properties.keys ?? null).toBeNull();
    expect(got.properties.scoringUri).toBe(`${h.sb.armEndpoint}/online/eastus/churn-online/score`);
    expect(await ml.onlineEndpoints.listKeys(RG, WS, "churn-online")).toMatchObject({
      primaryKey: "carried-primary-0001",
      secondaryKey: "carried-secondary-0002",
    });

    const list = [];
    for await (const e of ml.onlineEndpoints.list(RG, WS)) list.push(e.name);
    expect(list).toContain("churn-online");
  });

  it("PATCH updates tags (202 + Location, polled to the final resource)", async () => {
    const updated = await h.ml().onlineEndpoints.beginUpdateAndWait(RG, WS, "churn-online", { tags: { team: "growth" } }, FAST);
    expect(updated.tags).toEqual({ team: "growth" });
  });

  it("regenerates a key", async () => {
    const ml = h.ml();
    await ml.onlineEndpoints.beginRegenerateKeysAndWait(RG, WS, "churn-online", { keyType: "Secondary", keyValue: "rotated-secondary" }, FAST);
    expect(await ml.onlineEndpoints.listKeys(RG, WS, "churn-online")).toMatchObject({ primaryKey: "carried-primary-0001", secondaryKey: "rotated-secondary" });
  });

  it("issues tokens for AMLToken endpoints, and scoring accepts them", async () => {
    const ml = h.ml();
    await ml.onlineEndpoints.beginCreateOrUpdateAndWait(RG, WS, "tokens-online", { location: "eastus", properties: { authMode: "AMLToken" } }, FAST);
    const token = await ml.onlineEndpoints.getToken(RG, WS, "tokens-online");
    expect(token.tokenType).toBe("Bearer");
    expect(token.expiryTimeUtc! - token.refreshAfterTimeUtc!).toBeGreaterThan(0);
    await expect(ml.onlineEndpoints.listKeys(RG, WS, "tokens-online")).rejects.toMatchObject({ statusCode: 400 });
    // No deployment yet: the endpoint answers 404 with Azure's routing message, but only after auth passed.
    const r = await score(h.sb, "/online/eastus/tokens-online/score", token.accessToken, { data: [[1]] });
    expect(r.status).toBe(404);
    expect(r.text).toContain("No valid deployments to route to");
    expect((await score(h.sb, "/online/eastus/tokens-online/score", "wrong", { data: [[1]] })).status).toBe(401);
  });

  it("deletes (202 + Location), then GET is 404", async () => {
    const ml = h.ml();
    await ml.onlineEndpoints.beginDeleteAndWait(RG, WS, "tokens-online", FAST);
    await expect(ml.onlineEndpoints.get(RG, WS, "tokens-online")).rejects.toMatchObject({ statusCode: 404, code: "NotFound" });
  });
});

describe("public network access off: scoring from outside the workspace's network is refused", () => {
  it("a value Azure does not know is 400; Disabled is kept through a PUT that leaves it out, and every caller here gets 403", async () => {
    const ml = h.ml();
    const bad = { location: "eastus", properties: { authMode: "Key" as const, publicNetworkAccess: "Off" } };
    await expect(ml.onlineEndpoints.beginCreateOrUpdateAndWait(RG, WS, "private-online", bad, FAST)).rejects.toMatchObject({ statusCode: 400 });
    const body = { location: "eastus", properties: { authMode: "Key" as const, publicNetworkAccess: "Disabled", keys: { primaryKey: "private-key-0001" } } };
    await ml.onlineEndpoints.beginCreateOrUpdateAndWait(RG, WS, "private-online", body, FAST);
    expect((await ml.onlineEndpoints.get(RG, WS, "private-online")).properties.publicNetworkAccess).toBe("Disabled");
    await ml.onlineEndpoints.beginCreateOrUpdateAndWait(
      RG,
      WS,
      "private-online",
      { location: "eastus", properties: { authMode: "Key" }, tags: { a: "b" } },
      FAST,
    );
    expect((await ml.onlineEndpoints.get(RG, WS, "private-online")).properties.publicNetworkAccess).toBe("Disabled");
    const refused = await score(h.sb, "/online/eastus/private-online/score", "private-key-0001", { data: [[1]] });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("public network access to this endpoint is disabled");
    // Turned on again, the same call passes the network and meets the routing (no deployment yet).
    await ml.onlineEndpoints.beginCreateOrUpdateAndWait(
      RG,
      WS,
      "private-online",
      { location: "eastus", properties: { authMode: "Key", publicNetworkAccess: "Enabled" } },
      FAST,
    );
    expect((await score(h.sb, "/online/eastus/private-online/score", "private-key-0001", { data: [[1]] })).status).toBe(404);
  });
});

describe("endpoint names are unique per region across the sandbox", () => {
  it("refuses a name another tenant holds in the region", async () => {
    await expect(
      h.ml().onlineEndpoints.beginCreateOrUpdate(RG, WS, "fraud-detector-online", { location: "eastus", properties: { authMode: "Key" } }, FAST),
    ).rejects.toMatchObject({ statusCode: 400, code: "UserError", message: expect.stringContaining("must be unique within the region") });
  });

  it("refuses a name used by another workspace in the same region, allows it in another region", async () => {
    const ml = h.ml();
    await expect(
      ml.onlineEndpoints.beginCreateOrUpdate(RG, "ml-batch-eastus", "churn-online", { location: "eastus", properties: { authMode: "Key" } }, FAST),
    ).rejects.toMatchObject({ statusCode: 400 });
    const other = await ml.onlineEndpoints.beginCreateOrUpdateAndWait(
      "rg-ml-risk",
      "ml-risk-westeurope",
      "churn-online",
      { location: "westeurope", properties: { authMode: "Key" } },
      FAST,
    );
    expect(other.properties.provisioningState).toBe("Succeeded");
  });

  it("rejects an invalid name with the rule it breaks", async () => {
    await expect(
      h.ml().onlineEndpoints.beginCreateOrUpdate(RG, WS, "9lives", { location: "eastus", properties: { authMode: "Key" } }, FAST),
    ).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining("must start with a letter"),
    });
  });
});

describe("the wait a running operation asks for", () => {
  it("is Azure's 5 s divided by the speed: whole seconds in Retry-After, below a second in retry-after-ms", () => {
    const at = (speed: number) => pollAfter({ speed } as SandboxContext);
    expect([at(1), at(2), at(20), at(1000)]).toEqual([{ "Retry-After": "5" }, { "Retry-After": "3" }, { "retry-after-ms": "250" }, { "retry-after-ms": "5" }]);
  });
});
