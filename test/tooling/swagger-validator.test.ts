import { describe, expect, it } from "vitest";
import { readJson } from "../helpers/fixtures.js";
import { responseSchema, validate } from "../helpers/swagger-validator.js";

/** The validator the sandbox contract tests rely on: Microsoft's examples pass, and each kind of defect is caught. */
const body = (file: string) =>
  structuredClone((readJson(`test/fixtures/arm-examples/${file}`) as { responses: { "200": { body: any } } }).responses["200"].body);
const check = (operation: string, value: unknown, status = 200) => validate(value, responseSchema(operation, status)!);

describe("swagger validator", () => {
  it("accepts Microsoft's own examples", () => {
    expect(check("OnlineEndpoints_Get", body("OnlineEndpoint_get.json"))).toEqual([]);
    expect(check("OnlineDeployments_Get", body("ManagedOnlineDeployment_get.json"))).toEqual([]);
    expect(check("Datastores_Get", body("Datastore_get.json"))).toEqual([]);
  });

  it("catches a wrong type", () => {
    const d = body("ManagedOnlineDeployment_get.json");
    d.sku.capacity = "1";
    expect(check("OnlineDeployments_Get", d)).toContain('$.sku.capacity: expected an integer, got "1"');
  });

  it("catches a missing required property", () => {
    const e = body("OnlineEndpoint_get.json");
    delete e.location;
    expect(check("OnlineEndpoints_Get", e)).toContain('$: missing required "location"');
  });

  it("catches a value outside a closed enum, and accepts any value of an extensible one", () => {
    const d = body("ManagedOnlineDeployment_get.json");
    d.sku.tier = "Gold";
    d.properties.egressPublicNetworkAccess = "SomethingNew"; // modelAsString: true
    expect(check("OnlineDeployments_Get", d)).toEqual(['$.sku.tier: "Gold" is not one of Free, Basic, Standard, Premium']);
  });

  it("follows discriminators to the subtype's own properties", () => {
    const d = body("Datastore_get.json");
    d.properties.accountName = 42; // only AzureBlobDatastore (datastoreType "AzureBlob") defines accountName
    expect(check("Datastores_Get", d)).toContain("$.properties.accountName: expected a string, got number");
  });

  it("catches an unexpected property where the schema allows none", () => {
    const e = body("OnlineEndpoint_get.json");
    e.properties.mirrorTraffic = {};
    expect(check("OnlineEndpoints_Get", e)).toContain('$.properties: unexpected property "mirrorTraffic"');
  });

  it("catches a secret in a response", () => {
    const d = body("Datastore_get.json");
    d.properties.credentials = { credentialsType: "AccountKey", secrets: { secretsType: "AccountKey", key: "leaked" } };
    expect(check("Datastores_Get", d).join("\n")).toMatch(/credentials\.secrets: a secret or write-only property was returned/);
  });

  it("validates model-management bodies by compute type (ACIServiceResponse)", () => {
    const svc = readJson("test/fixtures/reference/mms-aci-service.synthesized.json") as Record<string, any>;
    expect(check("Services_QueryById", svc)).toEqual([]);
    expect(check("Services_QueryById", { ...svc, state: "Sleeping" })).toContain('$.state: "Sleeping" is not one of Transitioning, Healthy, Unhealthy, Failed');
    expect(check("Services_QueryById", { ...svc, authEnabled: "yes" })).toContain("$.authEnabled: expected a boolean, got string");
  });

  it("validates error bodies against the default response", () => {
    expect(check("OnlineEndpoints_Get", { error: { code: "NotFound", message: "gone" } }, 404)).toEqual([]);
    expect(check("OnlineEndpoints_Get", { error: { code: 404 } }, 404)).toContain("$.error.code: expected a string, got number");
  });
});
