import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { VM_SKUS } from "../domain/sku-catalog.js";
import { stableGuid, stableKey, workspaceKey } from "./ids.js";
import { blob, type BlobContents } from "./blob-contents.js";
import { makeTarGz } from "./snapshot-tar.js";
import { seedCollectedInputs } from "./seed-collected-inputs.js";
import { brokenScript, MODEL_FILE, scoreScript } from "./seed-scripts.js";
import { modelFingerprint } from "./predict.js";
import { WORLD_SCHEMA_VERSION, type SandboxWorld, type ServiceRecord, type WorkspaceRecord } from "./world.js";

/** Conda specifications of the environments registered in every workspace. */
const ENVIRONMENTS = {
  "sklearn-inference-env:4": {
    channels: ["conda-forge"],
    dependencies: ["python=3.8.13", { pip: ["azureml-defaults==1.43.0", "scikit-learn==1.0.2", "joblib==1.1.0"] }],
  },
  "lightgbm-env:2": {
    channels: ["conda-forge"],
    dependencies: ["python=3.9", { pip: ["azureml-inference-server-http==0.8.4", "lightgbm==3.3.5", "pandas==1.5.3"] }],
  },
  "pytorch-cpu-env:1": {
    channels: ["pytorch", "conda-forge"],
    dependencies: ["python=3.9", "pytorch=1.13=*cpu*", { pip: ["azureml-defaults==1.48.0", "transformers==4.26.0"] }],
  },
  // Lists azureml-core but no inference server: the managed container has nothing to start and crashes.
  "legacy-core-only-env:1": {
    channels: ["anaconda"],
    dependencies: ["python=3.7.9", { pip: ["azureml-core==1.20.0", "scikit-learn==0.22.2", "numpy"] }],
  },
  // Pins scikit-learn loosely: an image built today gets a newer release than the ACI image got (rebuilt-environment.ts).
  "churn-loose-env:1": {
    channels: ["conda-forge"],
    dependencies: ["python=3.8.13", { pip: ["azureml-defaults==1.43.0", "scikit-learn>=0.24", "joblib==1.1.0"] }],
  },
  // Pins a scikit-learn release that never was (1.0.22 for 1.0.2): its image does not build (image-build.ts).
  "sklearn-typo-env:1": {
    channels: ["conda-forge"],
    dependencies: ["python=3.8.13", { pip: ["azureml-defaults==1.43.0", "scikit-learn==1.0.22", "joblib==1.1.0"] }],
  },
} as const;
type EnvironmentId = keyof typeof ENVIRONMENTS;

interface ServiceSpec {
  name: string;
  cpu?: number;
  memoryGb?: number;
  auth?: boolean;
  state?: "Healthy" | "Unhealthy" | "Failed" | "Transitioning";
  models?: string[];
  env?: EnvironmentId;
  tls?: { cname?: string };
  /** The input sample its scoring script declares with inference-schema decorators (then v1 serves a swagger). */
  inputExample?: unknown;
  cmk?: boolean;
  vnet?: boolean;
  imageBased?: boolean;
  appInsights?: boolean;
  envVars?: Record<string, string>;
  dataCollection?: boolean;
  /** Requests whose inputs v1 model data collection kept in the workspace's storage (seed-collected-inputs.ts). */
  collectedRequests?: number;
  compute?: "ACI" | "AKS";
  /** Its own score.py (the default: scoreScript below), and other files of its snapshot's source_dir. */
  script?: string;
  files?: Record<string, string>;
  description: string;
  tags?: Record<string, string>;
}

/** Every kind of service a migration meets (issue #3 lists them); the names say which is which. */
const PROD_SERVICES: ServiceSpec[] = [
  {
    name: "churn-keyauth",
    cpu: 1,
    memoryGb: 1,
    auth: true,
    models: ["churn-model:3"],
    env: "sklearn-inference-env:4",
    inputExample: { data: [[34, 1, 0, 71.5, 2]] },
    description: "Customer churn, key auth, 1 CPU / 1 GB",
    tags: { team: "growth" },
  },
  {
    name: "iris-noauth",
    models: ["iris-model:1"],
    env: "sklearn-inference-env:4",
    description: "Iris classifier at the SDK defaults (0.1 CPU / 0.5 GB, no auth)",
  },
  {
    name: "sklearn-1cpu-2gb",
    cpu: 1,
    memoryGb: 2,
    auth: true,
    models: ["sklearn_regression_model.pkl:2"],
    env: "sklearn-inference-env:4",
    description: "Diabetes regression, 1 CPU / 2 GB (a gap in Microsoft's table)",
    tags: { team: "risk" },
  },
  {
    name: "credit-2cpu-4gb",
    cpu: 2,
    memoryGb: 4,
    auth: true,
    models: ["credit-model:7"],
    env: "lightgbm-env:2",
    inputExample: { data: [[712, 0.28, 54000, 3, 1]] },
    description: "Credit scoring, 2 CPU / 4 GB",
  },
  {
    name: "forecast-4cpu-16gb",
    cpu: 4,
    memoryGb: 16,
    auth: true,
    models: ["demand-forecast:12"],
    env: "lightgbm-env:2",
    description: "Demand forecast, 4 CPU / 16 GB",
  },
  {
    name: "nlp-8cpu-32gb",
    cpu: 8,
    memoryGb: 32,
    auth: true,
    models: ["ticket-classifier:5"],
    env: "pytorch-cpu-env:1",
    description: "Ticket classifier, 8 CPU / 32 GB (beyond the table)",
  },
  {
    name: "pricing-tls",
    cpu: 1,
    memoryGb: 1,
    auth: true,
    models: ["pricing-model:2"],
    env: "lightgbm-env:2",
    tls: { cname: "pricing.contoso.com" },
    description: "Pricing with its own TLS certificate and CNAME",
  },
  {
    name: "legacy-image",
    cpu: 1,
    memoryGb: 1,
    auth: true,
    models: ["fraud-legacy:1"],
    imageBased: true,
    description: "Deployed with deploy_from_image: no environment in the registry",
  },
  {
    name: "ensemble-two-models",
    cpu: 2,
    memoryGb: 4,
    auth: true,
    models: ["ensemble-gbm:4", "ensemble-nn:2"],
    env: "sklearn-inference-env:4",
    description: "Two models behind one scoring script",
  },
  {
    name: "broken-env",
    cpu: 1,
    memoryGb: 1,
    auth: true,
    models: ["churn-model:3"],
    env: "legacy-core-only-env:1",
    description: "Environment without the inference server: its managed deployment crashes",
  },
  {
    name: "failed-svc",
    cpu: 1,
    memoryGb: 1,
    auth: true,
    state: "Failed",
    models: ["iris-model:1"],
    env: "sklearn-inference-env:4",
    description: "A service whose last update failed",
  },
  {
    name: "telemetry-svc",
    cpu: 1,
    memoryGb: 1,
    auth: false,
    appInsights: true,
    dataCollection: true,
    collectedRequests: 240,
    envVars: { WORKERS: "2", MODEL_THRESHOLD: "0.42" },
    models: ["churn-model:3"],
    env: "sklearn-inference-env:4",
    description: "App Insights, data collection and environment variables",
  },
  {
    name: "fraud-detector",
    cpu: 1,
    memoryGb: 1,
    auth: true,
    models: ["fraud-model:9"],
    env: "lightgbm-env:2",
    description: "Its natural endpoint name (fraud-detector-online) is taken in eastus by another tenant",
  },
  // What breaks on a managed deployment although it runs on ACI (issue #22): each is found by the script check and
  // by a rehearsal, with the line of the script.
  {
    name: "syntax-error-svc",
    cpu: 1,
    memoryGb: 1,
    auth: true,
    models: ["churn-model:3"],
    env: "sklearn-inference-env:4",
    script: brokenScript("syntax"),
    description: "Its source snapshot holds a score.py with a syntax error (what a later edit uploaded; ACI still runs the container built before it)",
  },
  {
    name: "v1-import-svc",
    cpu: 1,
    memoryGb: 1,
    auth: true,
    models: ["pricing-model:2"],
    env: "lightgbm-env:2",
    script: brokenScript("v1-import"),
    description: "Imports the v1 SDK at module level; its environment has the inference server but not azureml-core",
  },
  {
    name: "ensemble-get-model-path",
    cpu: 2,
    memoryGb: 4,
    auth: true,
    models: ["ensemble-gbm:4", "ensemble-nn:2"],
    env: "sklearn-inference-env:4",
    script: brokenScript("get-model-path"),
    description: "Two models found with Model.get_model_path(), which looks where v1 put them",
  },
  // Answers differently once migrated (issue #23): the image built for the managed deployment resolves a newer
  // scikit-learn than the ACI image got, so its answers drift outside the tolerance; only a replay shows it.
  {
    name: "churn-drift",
    cpu: 1,
    memoryGb: 1,
    auth: true,
    models: ["churn-model:3"],
    env: "churn-loose-env:1",
    inputExample: { data: [[34, 1, 0, 71.5, 2]] },
    description: "Its environment pins scikit-learn loosely (>=0.24): the managed image gets a newer release, and the answers drift",
  },
  {
    name: "relative-path-svc",
    cpu: 1,
    memoryGb: 1,
    auth: true,
    models: ["churn-model:3"],
    env: "sklearn-inference-env:4",
    script: brokenScript("relative-path"),
    files: { "labels.json": '{"0": "stays", "1": "churns"}\n' },
    description: "Reads source_dir/labels.json relative to the working directory, as v1 laid the snapshot out",
  },
  {
    name: "recs-aks",
    cpu: 2,
    memoryGb: 4,
    auth: true,
    compute: "AKS",
    models: ["recs-model:6"],
    env: "pytorch-cpu-env:1",
    description: "Recommendations on AKS (not migratable here)",
  },
];

const RISK_SERVICES: ServiceSpec[] = [
  {
    name: "claims-cmk",
    cpu: 1,
    memoryGb: 1,
    auth: true,
    cmk: true,
    models: ["claims-model:2"],
    env: "sklearn-inference-env:4",
    description: "Encrypted with a customer-managed key",
  },
  {
    name: "fraud-vnet",
    cpu: 2,
    memoryGb: 4,
    auth: true,
    vnet: true,
    models: ["fraud-model:9"],
    env: "lightgbm-env:2",
    description: "Inside a virtual network",
  },
  { name: "risk-score", cpu: 2, memoryGb: 4, auth: true, models: ["risk-model:1"], env: "lightgbm-env:2", description: "Risk score, 2 CPU / 4 GB" },
];

/** Enough services to need more than one page of the model-management list (page size 10). */
const BATCH_SERVICES: ServiceSpec[] = Array.from({ length: 23 }, (_, i) => ({
  name: `batch-scorer-${String(i + 1).padStart(2, "0")}`,
  cpu: 0.5,
  memoryGb: 1,
  auth: true,
  models: [`batch-model:${(i % 3) + 1}`],
  env: "sklearn-inference-env:4" as const,
  description: `Batch scorer ${i + 1}`,
}));

/** vCPU limits per family that differ from the default 24 (see the quota seeding below). */
const SEEDED_QUOTA: Record<string, number> = { standardDSv2Family: 100, standardESv3Family: 32 };

function modelFile(id: string): Buffer {
  const weights = Array.from({ length: 5 }, (_, i) => (createHash("sha256").update(`${id}:${i}`).digest().readUInt16BE(0) % 1000) / 1000);
  return Buffer.from(`${JSON.stringify({ model: id, weights })}\n`);
}

function serviceLogs(spec: ServiceSpec): string[] {
  return [
    "2026-06-01T08:00:01,101234500+00:00 - gunicorn/run",
    "2026-06-01T08:00:01,101834500+00:00 - rsyslog/run",
    "2026-06-01T08:00:01,102034500+00:00 - nginx/run",
    "Dynamic Python package installation is disabled.",
    "Starting HTTP server",
    "Starting gunicorn 20.1.0",
    "Listening at: http://127.0.0.1:31311 (12)",
    "Booting worker with pid: 40",
    spec.state === "Failed" ? "Exception in worker process: init() raised FileNotFoundError: model.pkl" : "Users's init has completed successfully",
    spec.state === "Failed" ? "Worker exiting (pid: 40)" : "Scoring timeout setting is not found. Use default timeout: 3600000 ms",
  ];
}

export interface SeedOptions {
  readonly seed?: number;
  readonly nowMs: number;
}

/** The deterministic world every sandbox starts from (the same ids, names and keys on every machine). */
export function seedWorld({ seed = 1, nowMs }: SeedOptions, contents: BlobContents): SandboxWorld {
  const g = (label: string) => stableGuid(`${seed}:${label}`);
  const tenantId = g("tenant");
  const prodSub = g("sub:prod");
  const devSub = g("sub:dev");
  const world: SandboxWorld = {
    schemaVersion: WORLD_SCHEMA_VERSION,
    seed,
    createdAtMs: nowMs,
    tenants: [{ tenantId, displayName: "Contoso", defaultDomain: "contoso.onmicrosoft.com" }],
    subscriptions: [
      { subscriptionId: prodSub, displayName: "Contoso ML Production", tenantId },
      { subscriptionId: devSub, displayName: "Contoso Dev (empty)", tenantId },
    ],
    workspaces: [],
    services: [],
    models: [],
    environments: [],
    codes: [],
    datastores: [],
    blobContainers: [],
    blobs: {},
    endpoints: [],
    deployments: [],
    operations: [],
    reservedEndpointNames: [{ location: "eastus", name: "fraud-detector-online" }],
    quotaLimits: [],
  };

  const workspaces: [WorkspaceRecord, ServiceSpec[]][] = [
    [
      {
        subscriptionId: prodSub,
        resourceGroup: "rg-ml-prod",
        name: "ml-prod-eastus",
        location: "eastus",
        workspaceGuid: g("ws:prod"),
        friendlyName: "ML production (East US)",
        storageAccount: "mlprodeastusstore",
      },
      PROD_SERVICES,
    ],
    [
      {
        subscriptionId: prodSub,
        resourceGroup: "rg-ml-prod",
        name: "ml-batch-eastus",
        location: "eastus",
        workspaceGuid: g("ws:batch"),
        friendlyName: "Batch scorers (East US)",
        storageAccount: "mlbatcheastusstore",
      },
      BATCH_SERVICES,
    ],
    [
      {
        subscriptionId: prodSub,
        resourceGroup: "rg-ml-risk",
        name: "ml-risk-westeurope",
        location: "westeurope",
        workspaceGuid: g("ws:risk"),
        friendlyName: "Risk models (West Europe)",
        storageAccount: "mlriskweustore",
      },
      RISK_SERVICES,
    ],
  ];

  for (const [ws, specs] of workspaces) {
    world.workspaces.push(ws);
    const key = workspaceKey(ws);
    world.datastores.push({
      workspace: key,
      name: "workspaceblobstore",
      accountName: ws.storageAccount,
      containerName: `azureml-blobstore-${ws.workspaceGuid}`,
      isDefault: true,
      accountKey: Buffer.from(stableKey(`account:${ws.storageAccount}`)).toString("base64"),
    });
    world.blobContainers.push(`${ws.storageAccount}/azureml-blobstore-${ws.workspaceGuid}`, `${ws.storageAccount}/azureml`);
    world.datastores.push({
      workspace: key,
      name: "workspaceartifactstore",
      accountName: ws.storageAccount,
      containerName: "azureml",
      isDefault: false,
      accountKey: Buffer.from(stableKey(`account:${ws.storageAccount}`)).toString("base64"),
    });
    for (const [id, conda] of Object.entries(ENVIRONMENTS)) {
      const [name, version] = id.split(":") as [string, string];
      world.environments.push({
        workspace: key,
        name,
        version,
        image: "mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu18.04:20220516.v1",
        condaFile: stringify(conda),
        tags: {},
        createdAtMs: nowMs - 200 * 86400_000,
      });
    }
    const registered = new Set<string>();
    for (const spec of specs) {
      for (const m of spec.models ?? []) {
        if (registered.has(m)) continue;
        registered.add(m);
        const [name, version] = m.split(":") as [string, string];
        // A file model, as v1's Model.register(model_path="model.json") leaves it: the file in the default datastore.
        const path = `models/${name}/${version}/${MODEL_FILE}`;
        world.blobs[`${ws.storageAccount}/azureml-blobstore-${ws.workspaceGuid}/${path}`] = blob(
          contents,
          modelFile(m),
          "application/json",
          nowMs - 190 * 86400_000,
        );
        world.models.push({
          workspace: key,
          name,
          version,
          modelUri: `azureml://subscriptions/${ws.subscriptionId}/resourcegroups/${ws.resourceGroup}/workspaces/${ws.name}/datastores/workspaceblobstore/paths/${path}`,
          tags: {},
          properties: {},
          modelType: "custom_model",
          createdAtMs: nowMs - 190 * 86400_000,
        });
      }
      world.services.push(buildService(world, contents, ws, spec, g, nowMs));
      if (spec.collectedRequests) seedCollectedInputs(world, contents, ws, spec.name, spec.models![0]!, spec.collectedRequests, nowMs);
    }
  }

  // Quota: room for a few small deployments per family in each region, none for GPUs until requested; the DSv2
  // family (where small ACI services land, table rows 1-3) has room for the batch workspace's 23 services at once,
  // so `migrate --all` runs there, while the E family stays tight enough to refuse two large services together.
  const families = [...new Set(VM_SKUS.map((s) => s.family))];
  for (const sub of world.subscriptions) {
    for (const location of ["eastus", "westeurope"]) {
      for (const family of families) {
        const gpu = VM_SKUS.find((s) => s.family === family)?.architecture === "gpu";
        world.quotaLimits.push({ subscriptionId: sub.subscriptionId, location, family, limit: gpu ? 0 : (SEEDED_QUOTA[family] ?? 24) });
      }
    }
  }
  return world;
}

function buildService(
  world: SandboxWorld,
  contents: BlobContents,
  ws: WorkspaceRecord,
  spec: ServiceSpec,
  g: (l: string) => string,
  nowMs: number,
): ServiceRecord {
  const key = workspaceKey(ws);
  const models = spec.models ?? [];
  const created = new Date(nowMs - 180 * 86400_000).toISOString();
  const [envName, envVersion] = (spec.env ?? "sklearn-inference-env:4").split(":") as [string, string];
  const conda = spec.env ? ENVIRONMENTS[spec.env] : undefined;

  // The source snapshot: a real .tar.gz with the real score.py, where the artifact service keeps it.
  const snapContainer = g(`snap:${ws.name}:${spec.name}`).slice(0, 8);
  const snapPath = `${g(`snapfile:${ws.name}:${spec.name}`).slice(0, 8)}.tar.gz`;
  const blobName = `LocalUpload/${snapContainer}/${snapPath}`;
  const sources = { "score.py": spec.script ?? scoreScript(spec), "requirements.txt": "# standard library only\n", ...spec.files };
  const tarball = makeTarGz(Object.fromEntries(Object.entries(sources).map(([path, text]) => [`source_dir/${path}`, text])), nowMs - 180 * 86400_000);
  world.blobs[`${ws.storageAccount}/azureml/${blobName}`] = blob(contents, tarball, "application/octet-stream", nowMs);

  const environment = spec.imageBased
    ? null
    : {
        name: envName,
        version: envVersion,
        python: {
          interpreterPath: "python",
          userManagedDependencies: false,
          condaDependencies: { ...conda, name: `azureml_${g(`conda:${spec.env}`).replace(/-/g, "").slice(0, 32)}` },
          baseCondaEnvironment: null,
        },
        environmentVariables: { AZUREML_SOURCE_DIRECTORY: "source_dir", AZUREML_ENTRY_SCRIPT: "source_dir/score.py", ...spec.envVars },
        docker: { baseImage: "mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu18.04:20220516.v1", baseDockerfile: null, baseImageRegistry: { address: null } },
        spark: { repositories: [], packages: [], precachePackages: true },
        inferencingStackVersion: null,
      };
  const compute = spec.compute ?? "ACI";
  const doc: Record<string, unknown> = {
    id: spec.name,
    name: spec.name,
    description: spec.description,
    kvTags: spec.tags ?? {},
    properties: { hasInferenceSchema: spec.inputExample ? "True" : "False", hasHttps: spec.tls ? "True" : "False" },
    operationId: g(`op:${ws.name}:${spec.name}`),
    state: spec.state ?? "Healthy",
    createdTime: created,
    updatedTime: created,
    error:
      spec.state === "Failed"
        ? { code: "ServiceDeploymentFailed", statusCode: 400, message: "Container crashed: init() raised FileNotFoundError: model.pkl", details: [] }
        : null,
    computeType: compute,
    deploymentType: "HttpRealtimeEndpoint",
    imageId: spec.imageBased ? "legacy-fraud-image:3" : null,
    // Present only with an image: the v1 SDK deserializes every key it finds, and `imageDetails: null` breaks
    // Webservice.list (so does an `environment: null`), so the service leaves them out.
    ...(spec.imageBased
      ? {
          imageDetails: {
            id: "legacy-fraud-image:3",
            name: "legacy-fraud-image",
            version: 3,
            description: "Built by Image.create for the fraud model (SDK v1)",
            kvTags: {},
            properties: {},
            imageType: "Docker",
            imageFlavor: "WebApiContainer",
            imageLocation: `${ws.storageAccount.replace(/store$/, "")}acr.azurecr.io/legacy-fraud-image:3`,
            imageBuildLogUri: `https://${ws.storageAccount}.blob.core.windows.net/azureml/ImageLogs/${g("imagelog").slice(0, 8)}/build.log`,
            modelIds: models,
            modelDetails: models.map((m) => modelDto(m, created, g)),
            createdTime: created,
            modifiedTime: created,
            autoDelete: true,
            creationState: "Succeeded",
            error: null,
            operationId: g(`imageop:${spec.name}`),
            driverProgram: "score.py",
            assets: [{ id: "score.py", mimeType: "application/x-python", url: `aml://artifact/LocalUpload/${snapContainer}/score.py`, unpack: false }],
            targetRuntime: { runtimeType: "Python", properties: { pipRequirements: "requirements.txt" }, targetArchitecture: "Amd64" },
            dockerFileUri: null,
            generatedDockerFileUri: `aml://artifact/LocalUpload/${snapContainer}/Dockerfile`,
          },
        }
      : { environment }),
    // cpuLimit and memoryInGBLimit came after the 2019-09-30 swagger; azureml-core's ContainerResourceRequirements
    // refuses a service body without them (its _expected_payload_keys), so Azure's bodies carry them.
    containerResourceRequirements: { cpu: spec.cpu ?? 0.1, memoryInGB: spec.memoryGb ?? 0.5, gpu: null, fpga: null, cpuLimit: null, memoryInGBLimit: null },
    location: ws.location,
    authEnabled: spec.auth ?? false,
    sslEnabled: Boolean(spec.tls),
    appInsightsEnabled: spec.appInsights ?? false,
    dataCollection: { eventHubEnabled: false, storageEnabled: spec.dataCollection ?? false },
    sslCertificate: spec.tls ? "-----BEGIN CERTIFICATE-----\nMIIBsandboxPUBLICcertificateONLY\n-----END CERTIFICATE-----\n" : "",
    sslKey: "",
    cname: spec.tls?.cname ?? null,
    publicIp: `20.42.${(hash(spec.name) % 200) + 10}.${(hash(`${spec.name}x`) % 200) + 10}`,
    encryptionProperties: spec.cmk ? { vaultBaseUrl: "https://kv-claims-cmk.vault.azure.net", keyName: "aci-cmk", keyVersion: "0a1b2c3d4e5f" } : null,
    vnetConfiguration: spec.vnet ? { vnetName: "vnet-risk", subnetName: "snet-aci" } : null,
    modelConfigMap: {
      accountContext: { subscriptionId: ws.subscriptionId, resourceGroupName: ws.resourceGroup, accountName: ws.name, workspaceId: ws.workspaceGuid },
      models: Object.fromEntries(
        models.map((m) => [m.split(":")[0], { version: Number(m.split(":")[1]), id: m, internalId: g(`model:${m}`).replace(/-/g, "") }]),
      ),
    },
    environmentImageRequest: spec.imageBased
      ? null
      : {
          driverProgram: `tmp${g(`driver:${spec.name}`).slice(0, 8)}.py`,
          assets: [
            {
              id: `tmp${g(`driver:${spec.name}`).slice(0, 8)}.py`,
              mimeType: "application/x-python",
              url: `aml://artifact/LocalUpload/${snapContainer}/driver.py`,
              unpack: false,
            },
            { id: snapPath, mimeType: "application/octet-stream", url: `aml://artifact/LocalUpload/${snapContainer}/${snapPath}`, unpack: true },
          ],
          modelIds: models,
          environment,
        },
    models: models.map((m) => modelDto(m, created, g)),
  };
  if (compute === "AKS") {
    Object.assign(doc, {
      computeName: "aks-recs",
      numReplicas: 2,
      autoScaler: { autoscaleEnabled: false, minReplicas: 1, maxReplicas: 10, refreshPeriodInSeconds: 1, targetUtilization: 70 },
      maxConcurrentRequestsPerContainer: 1,
      maxQueueWaitMs: 500,
      scoringTimeoutMs: 60000,
      livenessProbeRequirements: { failureThreshold: 3, successThreshold: 1, timeoutSeconds: 2, periodSeconds: 10, initialDelaySeconds: 310 },
      aadAuthEnabled: false,
      isDefault: false,
      trafficPercentile: 0,
      type: "Realtime",
      namespace: "azureml-ml-risk",
      deploymentStatus: { desiredReplicas: 2, updatedReplicas: 2, availableReplicas: 2, error: null },
    });
  }
  return {
    workspace: key,
    name: spec.name,
    doc,
    keys: spec.auth ? { primaryKey: stableKey(`svc:${ws.name}:${spec.name}:1`), secondaryKey: stableKey(`svc:${ws.name}:${spec.name}:2`) } : undefined,
    // What the v1 container loaded: its models' files (the managed deployment of the same files answers the same).
    modelFingerprint: modelFingerprint(models.map((m) => contents.put(modelFile(m)))),
    ...(spec.inputExample ? { inputExample: spec.inputExample } : {}),
    snapshot: { origin: "LocalUpload", container: snapContainer, path: snapPath, account: ws.storageAccount, blobContainer: "azureml", blobName },
    logs: serviceLogs(spec),
  };
}

/** A blob record for `content`, whose bytes go into `contents`. */
/** A model as model management embeds it in a service: every key of its DTO, as the real service sends them. */
function modelDto(m: string, created: string, g: (l: string) => string): Record<string, unknown> {
  const [name, version] = m.split(":") as [string, string];
  return {
    id: m,
    name,
    version: Number(version),
    description: null,
    framework: "ScikitLearn",
    frameworkVersion: "1.0.2",
    url: `aml://asset/${g(`model:${m}`).replace(/-/g, "")}`,
    mimeType: "application/octet-stream",
    createdTime: created,
    modifiedTime: created,
    unpack: false,
    parentModelId: null,
    runId: null,
    experimentName: null,
    kvTags: {},
    properties: {},
    datasets: [],
    createdBy: {
      userObjectId: g("user:oid"),
      userPuId: "10030000A1B2C3D4",
      userIdp: null,
      userAltSecId: null,
      userIss: `https://sts.windows.net/${g("tenant")}/`,
      userTenantId: g("tenant"),
      userName: "Data Scientist",
    },
  };
}

function hash(s: string): number {
  return createHash("sha1").update(s).digest().readUInt32BE(0);
}
