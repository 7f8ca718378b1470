import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OperationFailedError } from "../../src/migration/errors.js";
import type {
  DeploymentSpec,
  DeploymentState,
  EndpointSpec,
  EndpointState,
  MigrationPort,
  RegisteredEnvironment,
  WorkspaceTarget,
} from "../../src/migration/port.js";
import type { JourneyBackend } from "../../src/journey/backend.js";
import { localRehearser } from "../../src/cli/local-rehearser.js";
import { SessionStore } from "../../src/session/journal.js";
import { repoPath } from "./fixtures.js";

/**
 * A workspace in memory for the journey's unit tests: v1 services made from the sample service file, managed
 * endpoints and deployments that succeed at once (or crash when their environment lacks the inference server),
 * endpoint names taken elsewhere in the region. No sandbox, no HTTP, no ink.
 */
export interface FakeAzure {
  readonly ws: WorkspaceTarget;
  readonly services: Map<string, Record<string, unknown>>;
  readonly endpoints: Map<string, EndpointState>;
  readonly deployments: Map<string, DeploymentState & { readonly environmentId: string }>;
  readonly environments: RegisteredEnvironment[];
  /** Names held by endpoints of other workspaces in the region. */
  readonly takenInRegion: Set<string>;
  readonly assets: Map<string, Record<string, string>>;
  /** The workspace each endpoint was created in. */
  readonly endpointWorkspaces: Map<string, string>;
  readonly port: MigrationPort;
  backend(): JourneyBackend;
  /** Removes the journal folder. */
  close(): void;
}

const WITH_SERVER = "dependencies:\n  - python=3.10\n  - pip:\n    - azureml-inference-server-http\n";
const WITHOUT_SERVER = "dependencies:\n  - python=3.10\n  - pip:\n    - scikit-learn\n";

export function fakeAzure(
  serviceNames: readonly string[] = ["alpha", "bravo"],
  o: {
    crashing?: readonly string[];
    /** Services that run inside a virtual network (vnetConfiguration). */
    inVnet?: readonly string[];
    /** The scoring script every service's code holds (for a rehearsal). */
    script?: string;
    /** Free vCPUs by quota family (100 for a family not named). */
    freeQuota?: Readonly<Record<string, number>>;
    /** More workspaces of the subscription (empty: none), listed after `ws`. */
    otherWorkspaces?: readonly string[];
  } = {},
): FakeAzure {
  const ws: WorkspaceTarget = { subscriptionId: "00000000-0000-0000-0000-00000000000a", resourceGroup: "rg", workspace: "ws", location: "eastus" };
  const endpointWorkspaces = new Map<string, string>();
  const sample = JSON.parse(readFileSync(repoPath("samples/service-sklearn-1cpu-2gb.json"), "utf8")) as Record<string, unknown>;
  const services = new Map(
    serviceNames.map((name) => [
      name,
      {
        ...sample,
        id: name,
        name,
        location: "eastus",
        scoringUri: `http://${name}.eastus.azurecontainer.io/score`,
        swaggerUri: null,
        ...(o.inVnet?.includes(name) ? { vnetConfiguration: { vnetName: "vnet-a", subnetName: "snet-b" } } : {}),
        ...(o.crashing?.includes(name)
          ? {
              environmentImageRequest: {
                ...(sample.environmentImageRequest as object),
                environment: {
                  ...(sample.environmentImageRequest as { environment: object }).environment,
                  name: "bare-env",
                  version: "1",
                  python: { userManagedDependencies: false, condaDependencies: { dependencies: ["python=3.10", { pip: ["scikit-learn"] }] } },
                },
              },
            }
          : {}),
      },
    ]),
  );
  const endpoints = new Map<string, EndpointState>();
  const deployments = new Map<string, DeploymentState & { environmentId: string }>();
  const environments: RegisteredEnvironment[] = [
    { name: "sklearn-inference-env", version: "4", condaFile: WITH_SERVER },
    { name: "bare-env", version: "1", condaFile: WITHOUT_SERVER },
  ];
  const takenInRegion = new Set<string>();
  /** Registered code and model versions (by id) with their tags. */
  const assets = new Map<string, Record<string, string>>();
  const envId = (name: string, version: string) => `/environments/${name}/versions/${version}`;
  const port: MigrationPort = {
    getV1Service: async (_ws, name) => services.get(name),
    listV1ServiceKeys: async () => ({ primaryKey: "fake-primary", secondaryKey: "fake-secondary" }),
    freeQuota: async (_ws, family) => o.freeQuota?.[family] ?? 100,
    isEndpointNameTaken: async (_location, name) => takenInRegion.has(name) || endpoints.has(name),
    modelVersionId: async (_ws, name, version) => `/models/${name}/versions/${version}`,
    modelFileName: async () => "model.pkl",
    environmentVersion: async (_ws, name, version) => {
      const e = environments.find((x) => x.name === name && (!version || x.version === version));
      return e ? { id: envId(e.name, e.version), condaFile: e.condaFile, image: e.image } : undefined;
    },
    listEnvironments: async () => [...environments],
    ensureImageEnvironment: async (_ws, name) => envId(name, "1"),
    codeFile: async () => undefined,
    saveCode: async (_ws, _source, dir) => void (o.script !== undefined && writeFileSync(join(dir, "score.py"), o.script)),
    saveModel: async (_ws, _model, dir) => writeFileSync(join(dir, "model.json"), '{"weights": [1]}'),
    ensureCode: async (_ws, _source, name, _onUpload, tags = {}) => {
      const id = `/codes/${name}/versions/1`;
      const reused = assets.has(id);
      if (!reused) assets.set(id, { ...tags });
      return { id, reused };
    },
    ensureCombinedModel: async (_ws, spec) => {
      const id = `/models/${spec.name}/versions/1`;
      const reused = assets.has(id);
      if (!reused) assets.set(id, { ...spec.tags });
      return { id, version: "1", folder: spec.name, reused };
    },
    copyModelVersion: async (_from, to, model) => {
      const id = `/models/${model.name}/versions/${model.version}`;
      const reused = assets.has(id);
      if (!reused) assets.set(id, { ...model.tags });
      return { id, reused };
    },
    copyEnvironmentVersion: async (_from, to, env) => {
      const id = `/environments/${env.name}/versions/${env.version}`;
      const reused = assets.has(id);
      if (!reused) assets.set(id, { ...env.tags });
      return { id, reused };
    },
    assetVersion: async (_ws, kind, name, version) => {
      const id = `/${kind}s/${name}/versions/${version}`;
      return assets.has(id) ? { id, tags: assets.get(id)! } : undefined;
    },
    deleteAssetVersion: async (_ws, kind, name, version) => void assets.delete(`/${kind}s/${name}/versions/${version}`),
    listEndpoints: async () => [...endpoints.values()],
    deleteEndpoint: async (_ws, name) => {
      endpoints.delete(name);
      for (const k of [...deployments.keys()]) if (k.startsWith(`${name}/`)) deployments.delete(k);
    },
    getEndpoint: async (_ws, name) => endpoints.get(name),
    createOrUpdateEndpoint: async (at, spec: EndpointSpec) => {
      endpointWorkspaces.set(spec.name, at.workspace);
      const e: EndpointState = {
        id: `/endpoints/${spec.name}`,
        name: spec.name,
        provisioningState: "Succeeded",
        authMode: spec.authMode,
        tags: spec.tags,
        traffic: spec.traffic ?? endpoints.get(spec.name)?.traffic ?? {},
        scoringUri: `https://fake/${spec.name}/score`,
        publicNetworkAccess: spec.publicNetworkAccess ?? "Enabled",
      };
      endpoints.set(spec.name, e);
      return e;
    },
    waitForEndpoint: async (_ws, name) => endpoints.get(name)!,
    getDeployment: async (_ws, endpoint, name) => deployments.get(`${endpoint}/${name}`),
    listDeployments: async (_ws, endpoint) => [...deployments.entries()].filter(([k]) => k.startsWith(`${endpoint}/`)).map(([, d]) => d),
    deleteDeployment: async (_ws, endpoint, name) => void deployments.delete(`${endpoint}/${name}`),
    createOrUpdateDeployment: async (_ws, spec: DeploymentSpec) => {
      const env = environments.find((e) => envId(e.name, e.version) === spec.environmentId);
      const crashes = env?.condaFile === WITHOUT_SERVER;
      const d = {
        id: `/endpoints/${spec.endpointName}/deployments/${spec.name}`,
        name: spec.name,
        provisioningState: crashes ? "Failed" : "Succeeded",
        instanceType: spec.instanceType,
        instanceCount: spec.instanceCount,
        tags: spec.tags,
        environmentId: spec.environmentId,
        modelId: spec.modelId,
        codeId: spec.codeId,
        scoringScript: spec.scoringScript,
        requestTimeoutMs: spec.requestTimeoutMs,
      };
      deployments.set(`${spec.endpointName}/${spec.name}`, d);
      if (crashes)
        throw new OperationFailedError("ResourceNotReady: User container has crashed or terminated.", "ResourceNotReady", "OnlineDeployments_CreateOrUpdate");
      return d;
    },
    waitForDeployment: async (_ws, endpoint, name) => deployments.get(`${endpoint}/${name}`)!,
    deploymentLogs: async (_ws, endpoint, name, container) =>
      container === "InferenceServer" && deployments.get(`${endpoint}/${name}`)?.provisioningState === "Failed"
        ? "ModuleNotFoundError: No module named 'azureml_inference_server_http'"
        : "",
    imageBuildLog: async () => undefined,
    listEndpointKeys: async () => ({ primaryKey: "fake-primary", secondaryKey: "fake-secondary" }),
    v1Swagger: async () => undefined,
    collectedInputs: async () => [],
    // As Azure: an endpoint without public network access refuses a caller outside its network (every caller here).
    score: async (uri: string) =>
      [...endpoints.values()].some((e) => e.scoringUri === uri && e.publicNetworkAccess === "Disabled")
        ? { status: 403, body: "Forbidden" }
        : { status: 200, body: { result: [1] } },
  };
  const stateDir = mkdtempSync(join(tmpdir(), "aci-migrate-journey-"));
  return {
    ws,
    services,
    endpoints,
    deployments,
    environments,
    takenInRegion,
    assets,
    endpointWorkspaces,
    port,
    backend: () => ({
      kind: "sandbox",
      armEndpoint: "https://fake",
      identity: async () => ({ kind: "sandbox", endpoint: "https://fake" }),
      listSubscriptions: async () => [{ subscriptionId: ws.subscriptionId, displayName: "Fake" }],
      listWorkspaces: async () =>
        [ws.workspace, ...(o.otherWorkspaces ?? [])].map((workspace) => ({ ...ws, workspace, discoveryUrl: "https://fake/discovery" })),
      listServices: async () => [...services.values()],
      listMigrated: async () =>
        new Map([...endpoints.values()].flatMap((e) => (e.tags["migrated-from"] ? [[e.tags["migrated-from"], e.name] as [string, string]] : []))),
      listMigrations: async () =>
        new Map(
          [...endpoints.values()].flatMap((e) =>
            e.tags["migrated-from"] ? [[e.tags["migrated-from"], { endpoint: e.name, sessionId: e.tags["aci-migrate-session"] }] as const] : [],
          ),
        ),
      deleteV1Service: async (_ws, name) => void services.delete(name),
      port,
      rehearser: localRehearser(stateDir),
      sessions: new SessionStore(stateDir),
      exportDir: join(stateDir, "export"),
      command: (args) => `aci-migrate --state-dir ${stateDir} ${args}`,
      exportYaml: async (plan) => ({ dir: join(stateDir, "export", plan.service.name), files: [] }),
    }),
    close: () => rmSync(stateDir, { recursive: true, force: true }),
  };
}
