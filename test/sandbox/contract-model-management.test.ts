import { mkdtemp, readFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { x as extract } from "tar";
import { describe, expect, it } from "vitest";
import { blobFromSignedUrl, blobServiceWithAccountKey } from "../../src/azure/blob-storage.js";
import { parseServiceJson } from "../../src/domain/parse-service-json.js";
import { all, readJson } from "../helpers/fixtures.js";
import { useSandbox } from "../helpers/sandbox.js";

const h = useSandbox();
const prod = () => ({ subscriptionId: h.prodSub, resourceGroup: "rg-ml-prod", workspace: "ml-prod-eastus" });
const batch = () => ({ subscriptionId: h.prodSub, resourceGroup: "rg-ml-prod", workspace: "ml-batch-eastus" });

describe("v1 model management (our client, through the workspace's discovery document)", () => {
  it("finds the host from discoveryUrl", async () => {
    const ws = await h.ml().workspaces.get("rg-ml-prod", "ml-prod-eastus");
    const { ModelManagementClient } = await import("../../src/azure/model-management-client.js");
    const client = await ModelManagementClient.forWorkspace(h.conn, ws.discoveryUrl!);
    expect(client.apiHost).toBe(h.sb.armEndpoint);
  });

  it("pages through a workspace with more services than a page (absolute nextLink)", async () => {
    const pages: number[] = [];
    const before = h.served.length;
    const services = await all(h.mms().listServices(batch(), { computeType: "ACI" }));
    for (const r of h.served.slice(before)) if (r.operation === "Services_ListQuery") pages.push((r.body as { value: unknown[] }).value.length);
    expect(services).toHaveLength(23);
    expect(pages).toEqual([10, 10, 3]);
    const firstPage = h.served.slice(before).find((r) => r.operation === "Services_ListQuery")!.body as { nextLink: string };
    expect(firstPage.nextLink).toMatch(new RegExp(`^${h.sb.armEndpoint}/modelmanagement/v1\\.0/.*\\$skipToken=10`));
  });

  it("filters by compute type: the seeded AKS service is listed only without the ACI filter", async () => {
    const aci = (await all(h.mms().listServices(prod(), { computeType: "ACI" }))).map((s) => s.name);
    const everything = (await all(h.mms().listServices(prod()))).map((s) => s.name);
    expect(aci).not.toContain("recs-aks");
    expect(everything).toContain("recs-aks");
    expect(aci.length).toBe(18);
  });

  it("returns every seeded scenario in a shape the domain parser reads", async () => {
    const plans = new Map<string, ReturnType<typeof parseServiceJson>>();
    for (const ws of [prod(), { ...prod(), resourceGroup: "rg-ml-risk", workspace: "ml-risk-westeurope" }]) {
      for await (const s of h.mms().listServices(ws, { computeType: "ACI" })) {
        plans.set(String(s.name), parseServiceJson(await h.mms().getService(ws, String(s.name)), `sandbox:${String(s.name)}`));
      }
    }
    expect(plans.get("churn-keyauth")).toMatchObject({ cpu: 1, memoryGb: 1, authEnabled: true });
    expect(plans.get("iris-noauth")).toMatchObject({ cpu: 0.1, memoryGb: 0.5, authEnabled: false });
    expect(plans.get("sklearn-1cpu-2gb")).toMatchObject({ cpu: 1, memoryGb: 2 });
    expect(plans.get("credit-2cpu-4gb")).toMatchObject({ cpu: 2, memoryGb: 4 });
    expect(plans.get("forecast-4cpu-16gb")).toMatchObject({ cpu: 4, memoryGb: 16 });
    expect(plans.get("nlp-8cpu-32gb")).toMatchObject({ cpu: 8, memoryGb: 32 });
    expect(plans.get("pricing-tls")).toMatchObject({ tls: { enabled: true, customCertificate: true }, cname: "pricing.contoso.com" });
    expect(plans.get("claims-cmk")?.encryption).toMatchObject({ keyName: "aci-cmk" });
    expect(plans.get("fraud-vnet")?.vnet).toMatchObject({ vnetName: "vnet-risk" });
    expect(plans.get("legacy-image")).toMatchObject({ environment: undefined, image: { id: "legacy-fraud-image:3" } });
    expect(plans.get("ensemble-two-models")?.models.map((m) => m.id)).toEqual(["ensemble-gbm:4", "ensemble-nn:2"]);
    expect(plans.get("broken-env")?.environment?.name).toBe("legacy-core-only-env");
    expect(plans.get("failed-svc")?.state).toBe("Failed");
    expect(plans.get("telemetry-svc")).toMatchObject({ appInsightsEnabled: true, dataCollection: { storageEnabled: true } });
    expect(plans.get("telemetry-svc")?.environment?.environmentVariables).toEqual({ WORKERS: "2", MODEL_THRESHOLD: "0.42" });
    expect(plans.get("fraud-detector")?.name).toBe("fraud-detector");
  });

  it("lists keys of a key-auth service and refuses for a no-auth one", async () => {
    const keys = await h.mms().listServiceKeys(prod(), "churn-keyauth");
    expect(keys.primaryKey).toMatch(/^[A-Za-z0-9]{32}$/);
    await expect(h.mms().listServiceKeys(prod(), "iris-noauth")).rejects.toMatchObject({ status: 400, operation: "Services_ListServiceKeys" });
  });

  it("reads the container logs", async () => {
    expect(await h.mms().getServiceLogs(prod(), "churn-keyauth")).toContain("Starting gunicorn");
    expect((await h.mms().getServiceLogs(prod(), "failed-svc", 2)).split("\n")).toHaveLength(2);
  });

  it("downloads the source snapshot: a real .tar.gz holding the real score.py", async () => {
    const svc = await h.mms().getService(prod(), "churn-keyauth");
    const asset = (svc.environmentImageRequest as { assets: { url: string; unpack: boolean }[] }).assets.find((a) => a.unpack)!;
    const url = await h.mms().getArtifactContentUri(prod(), asset.url);
    const buffer = await blobFromSignedUrl(h.conn, url).downloadToBuffer();
    const dir = await mkdtemp(join(tmpdir(), "snapshot-"));
    const archive = join(dir, "snapshot.tar.gz");
    await (await import("node:fs/promises")).writeFile(archive, buffer);
    await extract({ file: archive, cwd: dir });
    const script = await readFile(join(dir, "source_dir", "score.py"), "utf8");
    expect(script).toContain("def init():");
    expect(script).toContain("def run(raw_data):");
    // A tampered signature is refused.
    await expect(blobFromSignedUrl(h.conn, url.replace(/sig=[^&]+/, "sig=forged")).downloadToBuffer()).rejects.toMatchObject({ statusCode: 403 });
  });

  it("deletes a service; then it is 404 in model management's error shape", async () => {
    await h.mms().deleteService(batch(), "batch-scorer-23");
    await expect(h.mms().getService(batch(), "batch-scorer-23")).rejects.toMatchObject({ status: 404, code: "NotFound" });
  });
});

describe("blob storage (@azure/storage-blob, with the default datastore's key)", () => {
  it("uploads, checks, lists and downloads a blob", async () => {
    const ml = h.ml();
    const stores = await all(ml.datastores.list("rg-ml-prod", "ml-prod-eastus", { isDefault: true }));
    expect(stores).toHaveLength(1);
    const store = stores[0]!;
    const props = store.properties as { accountName: string; containerName: string; endpoint: string };
    const secrets = (await ml.datastores.listSecrets("rg-ml-prod", "ml-prod-eastus", store.name!)) as { key: string };
    const container = blobServiceWithAccountKey(h.conn, props.accountName, secrets.key, props.endpoint).getContainerClient(props.containerName);
    const blob = container.getBlockBlobClient("LocalUpload/abc123/score.py");
    expect(await blob.exists()).toBe(false);
    await blob.uploadData(Buffer.from("def init():\n    pass\n"));
    expect(await blob.exists()).toBe(true);
    expect((await blob.downloadToBuffer()).toString()).toBe("def init():\n    pass\n");
    const names = [];
    for await (const b of container.listBlobsFlat({ prefix: "LocalUpload/abc123/" })) names.push(b.name);
    expect(names).toEqual(["LocalUpload/abc123/score.py"]);
  });

  it("refuses a request without credentials", async () => {
    const { BlobClient } = await import("@azure/storage-blob");
    void BlobClient;
    const anonymous = blobFromSignedUrl(h.conn, `${h.sb.armEndpoint}/mlprodeastusstore/azureml/anything`);
    await expect(anonymous.downloadToBuffer()).rejects.toMatchObject({ statusCode: 403 });
  });
});

describe("the v1 service's swagger (the smoke test's sample)", () => {
  it("is served without auth for a script with a schema, and its example scores on ACI as documented", async () => {
    const { AzureMigrationAdapter } = await import("../../src/azure/migration-adapter.js");
    const { sampleFromV1Swagger } = await import("../../src/domain/v1-swagger.js");
    const adapter = new AzureMigrationAdapter(h.conn);
    const credit = await h.mms().getService(prod(), "credit-2cpu-4gb");
    expect(credit.properties).toMatchObject({ hasInferenceSchema: "True" });
    const doc = (await adapter.v1Swagger(String(credit.swaggerUri))) as { definitions: { ServiceOutput: { example: unknown } } };
    const sample = sampleFromV1Swagger(doc);
    expect(sample).toEqual({ data: [[712, 0.28, 54000, 3, 1]] });
    const keys = await h.mms().listServiceKeys(prod(), "credit-2cpu-4gb");
    const answer = await adapter.score(String(credit.scoringUri), keys.primaryKey, sample);
    expect(answer).toEqual({ status: 200, contentType: "application/json", body: doc.definitions.ServiceOutput.example });

    const iris = await h.mms().getService(prod(), "iris-noauth");
    expect(iris.properties).toMatchObject({ hasInferenceSchema: "False" });
    expect(await adapter.v1Swagger(String(iris.swaggerUri))).toBeUndefined(); // 404: no schema declared
  });
});

/** Every key a v1 swagger definition names, through its allOf chain (what the v1 SDK may read). */
function definitionKeys(name: string): string[] {
  const defs = (
    readJson("test/fixtures/swagger/modelManagement.json") as {
      definitions: Record<string, { allOf?: { $ref?: string; properties?: object }[]; properties?: object }>;
    }
  ).definitions;
  const d = defs[name]!;
  const keys = new Set<string>(Object.keys(d.properties ?? {}));
  for (const part of d.allOf ?? []) {
    if (part.$ref) for (const k of definitionKeys(part.$ref.split("/").pop()!)) keys.add(k);
    for (const k of Object.keys(part.properties ?? {})) keys.add(k);
  }
  return [...keys];
}

/** Keys the real service leaves out rather than send as null, because the v1 SDK deserializes every key present. */
const OMITTED_WHEN_NULL = ["imageDetails", "environment"];

describe("v1 bodies as the v1 SDK reads them", () => {
  it("every service, embedded model and image carries every key of its v1 swagger definition; none sends imageDetails: null", async () => {
    const services = [...(await all(h.mms().listServices(prod(), { expand: true }))), await h.mms().getService(prod(), "legacy-image")];
    expect(services.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const s of services) {
      const def = s.computeType === "AKS" ? "AKSServiceResponse" : "ACIServiceResponse";
      for (const k of definitionKeys(def)) if (!(k in s) && !OMITTED_WHEN_NULL.includes(k)) problems.push(`${String(s.name)}: ${k}`);
      for (const k of OMITTED_WHEN_NULL) if (k in s && s[k] === null) problems.push(`${String(s.name)}: ${k} is null`);
      if (!("imageDetails" in s) && !("environment" in s)) problems.push(`${String(s.name)}: neither imageDetails nor environment`);
      for (const m of (s.models as Record<string, unknown>[]) ?? [])
        for (const k of definitionKeys("Model")) if (!(k in m)) problems.push(`${String(s.name)} model ${String(m.name)}: ${k}`);
      // The keys azureml-core's ContainerResourceRequirements.deserialize insists on (newer than the 2019 swagger).
      const resources = s.containerResourceRequirements as Record<string, unknown>;
      for (const k of ["cpu", "cpuLimit", "memoryInGB", "memoryInGBLimit", "gpu"])
        if (!(k in resources)) problems.push(`${String(s.name)}: containerResourceRequirements.${k}`);
      const image = s.imageDetails as Record<string, unknown> | undefined;
      if (image) for (const k of definitionKeys("DockerImageResponse")) if (!(k in image)) problems.push(`${String(s.name)} image: ${k}`);
    }
    expect(problems).toEqual([]);
  });

  it("the list filters tags=, properties= and imageName= as the v1 swagger describes", async () => {
    const list = async (query: string) => {
      const url = `${h.sb.armEndpoint}/modelmanagement/v1.0/subscriptions/${h.prodSub}/resourceGroups/rg-ml-prod/providers/Microsoft.MachineLearningServices/workspaces/ml-prod-eastus/services?api-version=2018-11-19&${query}`;
      const r = await get(h.sb, url, h.sb.token);
      expect(r.status).toBe(200);
      return (JSON.parse(r.text) as { value: { name: string }[] }).value.map((s) => s.name).sort();
    };
    expect(await list("tags=team")).toEqual(["churn-keyauth", "sklearn-1cpu-2gb"]);
    expect(await list("tags=team%3Dgrowth")).toEqual(["churn-keyauth"]);
    expect(await list("tags=team%3Dnobody")).toEqual([]);
    expect(await list("properties=hasHttps%3DTrue")).toEqual(["pricing-tls"]);
    expect(await list("imageName=legacy-fraud-image")).toEqual(["legacy-image"]);
  });
});

function get(sb: typeof h.sb, url: string, bearer: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(url), { ca: sb.caPem, headers: { authorization: `Bearer ${bearer}` } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, text }));
    });
    req.on("error", reject);
    req.end();
  });
}
