import { lookup } from "node:dns/promises";
import { AzureMachineLearningWorkspaces, type OnlineEndpoint } from "@azure/arm-machinelearning";
import { createDefaultHttpClient, createHttpHeaders, createPipelineFromOptions, createPipelineRequest, isRestError } from "@azure/core-rest-pipeline";
import { AzureRequestError, OperationFailedError } from "../migration/errors.js";
import { UserFixableError } from "../domain/errors.js";
import { isoDurationMs } from "../domain/iso-duration.js";
import type {
  CodeSource,
  CombinedModelSpec,
  CopyProgress,
  UploadProgress,
  DeploymentSpec,
  DeploymentState,
  EndpointSpec,
  EndpointState,
  MigrationPort,
  RegisteredEnvironment,
  AssetKind,
  WaitOptions,
  WorkspaceTarget,
  ModelToSave,
  LeaseHolder,
} from "../migration/port.js";
import { takeServiceLease } from "./service-lease.js";
import type { ServiceKeys } from "../migration/service-keys.js";
import { toAzureError } from "./azure-error.js";
import type { BuildLogLocation } from "../domain/image-build-log.js";
import { blobFromSignedUrl, blobServiceWithAccountKey, downloadWhole } from "./blob-storage.js";
import { combinedModelFiles, ensureCombinedModel, registeredModelFiles, type Datastore } from "./combined-model.js";
import { downloadModelFiles, writeCodeFiles } from "./local-copies.js";
import { copyEnvironmentVersion, copyModelVersion } from "./workspace-copies.js";
import { codeFileText, readCodeFolder, unpackSnapshot, withScriptEdits, type CodeFiles } from "./code-snapshot.js";
import { uploadFiles } from "./code-upload.js";
import { readCollectedFiles } from "./collected-inputs.js";
import type { BlobServiceClient } from "@azure/storage-blob";
import { retryThrottled } from "./throttled.js";
import { clientOptions, retryOptions, retryFloorMs, storageAccountUrl, withPolicies, type AzureConnection } from "./connection.js";
import { ModelManagementClient } from "./model-management-client.js";
import { keepFirstAnswer, sleep, untilProvisioned, type Started } from "./provisioning.js";

/**
 * How often, at most, a running operation's state (and with it the logs) is read for the screen: 10 times a
 * second for one, and 20 times a second shared by all the watches of the adapter, so twenty deployments under
 * way are each read once a second instead of spending the connection's sockets on reads nobody can all see.
 */
const WATCH_PER_SECOND = 10;
const WATCHES_PER_SECOND = 20;

/** The engine's port to Azure, over the real SDK clients (ARM, v1 model management, blob). */
export class AzureMigrationAdapter implements MigrationPort {
  private readonly mmsClients = new Map<string, Promise<ModelManagementClient>>();
  private readonly mlClients = new Map<string, AzureMachineLearningWorkspaces>();
  /** Snapshots read by the script check, kept for the code step (see readCode). */
  private readonly snapshots = new Map<string, Promise<CodeFiles>>();
  /** Watches running now (see WATCHES_PER_SECOND). */
  private watching = 0;

  constructor(private readonly conn: AzureConnection) {}

  private get pollMs(): number {
    return this.conn.pollIntervalMs ?? 5000;
  }

  private ml(ws: WorkspaceTarget): AzureMachineLearningWorkspaces {
    let c = this.mlClients.get(ws.subscriptionId);
    if (!c) this.mlClients.set(ws.subscriptionId, (c = new AzureMachineLearningWorkspaces(this.conn.credential, ws.subscriptionId, clientOptions(this.conn))));
    return c;
  }

  private mms(ws: WorkspaceTarget): Promise<ModelManagementClient> {
    const key = `${ws.subscriptionId}/${ws.resourceGroup}/${ws.workspace}`.toLowerCase();
    let c = this.mmsClients.get(key);
    if (!c) {
      c = this.ml(ws)
        .workspaces.get(ws.resourceGroup, ws.workspace)
        .then((w) => ModelManagementClient.forWorkspace(this.conn, w.discoveryUrl!));
      this.mmsClients.set(key, c);
    }
    return c;
  }

  private async call<T>(operation: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      throw toAzureError(e, operation);
    }
  }

  /** Runs a read that may answer 404, which means "not there". */
  private async find<T>(operation: string, f: () => Promise<T>): Promise<T | undefined> {
    try {
      return await f();
    } catch (e) {
      if ((e as { statusCode?: number; status?: number }).statusCode === 404 || (e as { status?: number }).status === 404) return undefined;
      throw toAzureError(e, operation);
    }
  }

  async getV1Service(ws: WorkspaceTarget, name: string) {
    const mms = await this.mmsOfExisting(ws);
    return this.find("Services_QueryById", () => mms.getService(ws, name));
  }

  /** The workspace's model management client; a workspace that is not there is said so, not read as "no such service". */
  private async mmsOfExisting(ws: WorkspaceTarget): Promise<ModelManagementClient> {
    try {
      return await this.mms(ws);
    } catch (e) {
      this.mmsClients.delete(`${ws.subscriptionId}/${ws.resourceGroup}/${ws.workspace}`.toLowerCase()); // asked again next time
      const status = (e as { statusCode?: number }).statusCode;
      if (status !== 404) throw toAzureError(e, "Workspaces_Get");
      throw new UserFixableError(`Workspace ${ws.workspace} does not exist in resource group ${ws.resourceGroup} of subscription ${ws.subscriptionId}.`, {
        why: "It was deleted or moved since the migration was planned, or the session file names another.",
        nextStep: "See the workspaces you can use with `aci-migrate list workspaces`, and start the migration again with -w.",
        kind: "state",
      });
    }
  }

  listV1ServiceKeys(ws: WorkspaceTarget, name: string): Promise<ServiceKeys> {
    return this.call("Services_ListServiceKeys", async () => (await this.mms(ws)).listServiceKeys(ws, name));
  }

  freeQuota(ws: WorkspaceTarget, family: string) {
    return this.call("Usages_List", async () => {
      for await (const u of this.ml(ws).usages.list(ws.location)) {
        if (u.name?.value === family && u.limit !== undefined) return u.limit - (u.currentValue ?? 0);
      }
      return undefined;
    });
  }

  async isEndpointNameTaken(location: string, name: string): Promise<boolean> {
    if (this.conn.endpointNameTaken) return this.conn.endpointNameTaken(location, name);
    try {
      await lookup(`${name}.${location}.inference.ml.azure.com`);
      return true;
    } catch {
      return false;
    }
  }

  modelVersionId(ws: WorkspaceTarget, name: string, version: string) {
    return this.find("ModelVersions_Get", async () => (await this.ml(ws).modelVersions.get(ws.resourceGroup, ws.workspace, name, version)).id!);
  }

  modelFileName(ws: WorkspaceTarget, name: string, version: string) {
    return this.find("ModelVersions_Get", async () => {
      const uri = (await this.ml(ws).modelVersions.get(ws.resourceGroup, ws.workspace, name, version)).properties.modelUri ?? "";
      return (
        uri
          .replace(/[?#].*$/, "")
          .replace(/\/+$/, "")
          .split("/")
          .at(-1) || undefined
      );
    });
  }

  environmentVersion(ws: WorkspaceTarget, name: string, version: string | undefined) {
    return this.find("EnvironmentVersions_Get", async () => {
      const ml = this.ml(ws);
      const v = version ?? (await ml.environmentContainers.get(ws.resourceGroup, ws.workspace, name)).properties.latestVersion!;
      const env = await ml.environmentVersions.get(ws.resourceGroup, ws.workspace, name, v);
      return { id: env.id!, condaFile: env.properties.condaFile ?? undefined, image: env.properties.image ?? undefined };
    });
  }

  listEnvironments(ws: WorkspaceTarget) {
    return this.call("EnvironmentVersions_List", async () => {
      const ml = this.ml(ws);
      const out: RegisteredEnvironment[] = [];
      for await (const c of ml.environmentContainers.list(ws.resourceGroup, ws.workspace)) {
        const versions: RegisteredEnvironment[] = [];
        for await (const v of ml.environmentVersions.list(ws.resourceGroup, ws.workspace, c.name!)) {
          versions.push({ name: c.name!, version: v.name!, image: v.properties.image ?? undefined, condaFile: v.properties.condaFile ?? undefined });
        }
        out.push(...versions.sort((a, b) => Number(b.version) - Number(a.version) || b.version.localeCompare(a.version)));
      }
      return out;
    });
  }

  /** The v1 snapshot's source directory, downloaded through the artifact service and unpacked. */
  private async snapshotCode(ws: WorkspaceTarget, service: Record<string, unknown>, o: { use?: "again" | "last" } = {}): Promise<CodeFiles> {
    const request = service.environmentImageRequest as {
      assets?: { url?: string; unpack?: boolean }[];
      environment?: { environmentVariables?: Record<string, string> };
    } | null;
    const snapshot = request?.assets?.find((a) => a.unpack && a.url?.startsWith("aml://artifact/"));
    if (!snapshot?.url) {
      throw new UserFixableError(`Service ${String(service.name)} has no source snapshot to take its scoring code from.`, {
        nextStep: "Point at the scoring code folder with --code-dir.",
        kind: "state",
      });
    }
    const sourceDirectory = request?.environment?.environmentVariables?.AZUREML_SOURCE_DIRECTORY;
    const key = JSON.stringify([ws.subscriptionId, ws.resourceGroup, ws.workspace, snapshot.url, sourceDirectory]).toLowerCase();
    const kept = this.snapshots.get(key);
    if (kept) {
      if (o.use === "last") this.snapshots.delete(key);
      return kept;
    }
    const read = (async () => {
      const mms = await this.mms(ws);
      const contentUri = await mms.getArtifactContentUri(ws, snapshot.url!);
      const archive = await retryThrottled(() => downloadWhole(blobFromSignedUrl(this.conn, contentUri)), retryFloorMs(this.conn));
      return unpackSnapshot(archive, sourceDirectory);
    })();
    if (o.use === "again") {
      this.snapshots.set(key, read);
      read.catch(() => this.snapshots.delete(key));
    }
    return read;
  }

  ensureImageEnvironment(ws: WorkspaceTarget, name: string, image: string) {
    return this.call("EnvironmentVersions_CreateOrUpdate", async () => {
      const ml = this.ml(ws);
      const existing = await this.find("EnvironmentVersions_Get", () => ml.environmentVersions.get(ws.resourceGroup, ws.workspace, name, "1"));
      if (existing?.id && existing.properties.image === image) return existing.id;
      // Images built by v1 serve /score on port 5001 and answer liveness/readiness on /.
      const route = (path: string) => ({ path, port: 5001 });
      const created = await ml.environmentVersions.createOrUpdate(ws.resourceGroup, ws.workspace, name, "1", {
        properties: {
          image,
          inferenceConfig: { livenessRoute: route("/"), readinessRoute: route("/"), scoringRoute: route("/score") },
          description: "Custom container from a v1 image, registered by aci-migrate.",
        },
      });
      return created.id!;
    });
  }

  codeFile(ws: WorkspaceTarget, source: CodeSource, path: string) {
    return this.call("Code_Read", async () => codeFileText(await this.readCode(ws, source, "again"), path));
  }

  saveCode(ws: WorkspaceTarget, source: CodeSource, dir: string) {
    return this.call("Code_Read", async () => {
      const read = await this.readCode(ws, source, "again");
      await writeCodeFiles(source.edits ? await withScriptEdits(read, source.edits.file, source.edits.edits) : read, dir);
    });
  }

  saveModel(ws: WorkspaceTarget, model: ModelToSave, dir: string, onProgress?: (message: string) => void) {
    return this.call("ModelVersions_Get", async () => {
      const storage = { datastore: (name: string | undefined) => this.datastore(ws, name) };
      const files =
        model.kind === "combined"
          ? (await combinedModelFiles(this.ml(ws), ws, model.parts, storage)).files
          : await registeredModelFiles(this.ml(ws), ws, model.name, model.version, storage);
      await downloadModelFiles(files, dir, onProgress);
    });
  }

  ensureCode(
    ws: WorkspaceTarget,
    source: CodeSource,
    codeName: string,
    onUpload?: (p: UploadProgress) => void,
    tags: Readonly<Record<string, string>> = {},
    readFrom?: WorkspaceTarget,
  ) {
    return this.call("CodeVersions_CreateOrUpdate", async () => {
      const read = await this.readCode(readFrom ?? ws, source, "last");
      const code = source.edits ? await withScriptEdits(read, source.edits.file, source.edits.edits) : read;
      const version = code.hash.slice(0, 16);
      const ml = this.ml(ws);
      const existing = await this.find("CodeVersions_Get", () => ml.codeVersions.get(ws.resourceGroup, ws.workspace, codeName, version));
      if (existing?.id) return { id: existing.id, reused: true };
      // Upload under a content-hash path of the default datastore, then register the code version pointing at it.
      const { container, url } = await this.datastore(ws, undefined);
      const prefix = `LocalUpload/${code.hash.slice(0, 32)}/${codeName}`;
      await uploadFiles(code, (file) => container.getBlockBlobClient(`${prefix}/${file.path}`), { floorMs: retryFloorMs(this.conn), onUpload });
      const codeUri = `${url}/${prefix}`;
      const created = await ml.codeVersions.createOrUpdate(ws.resourceGroup, ws.workspace, codeName, version, {
        properties: { codeUri, isAnonymous: false, properties: { hash_sha256: code.hash, hash_version: "aci-migrate-1" }, tags: { ...tags } },
      });
      return { id: created.id!, reused: false };
    });
  }

  ensureCombinedModel(ws: WorkspaceTarget, spec: CombinedModelSpec, onCopy?: (p: CopyProgress) => void) {
    return this.call("ModelVersions_CreateOrUpdate", () =>
      ensureCombinedModel(this.ml(ws), ws, spec, { datastore: (name) => this.datastore(ws, name) }, onCopy),
    );
  }

  copyModelVersion(
    from: WorkspaceTarget,
    to: WorkspaceTarget,
    model: { name: string; version: string; tags: Readonly<Record<string, string>> },
    onCopy?: (p: CopyProgress) => void,
  ) {
    const side = (ws: WorkspaceTarget) => ({ ml: this.ml(ws), ws, storage: { datastore: (name: string | undefined) => this.datastore(ws, name) } });
    return this.call("ModelVersions_CreateOrUpdate", () => copyModelVersion(side(from), side(to), model, onCopy));
  }

  copyEnvironmentVersion(from: WorkspaceTarget, to: WorkspaceTarget, environment: { name: string; version: string; tags: Readonly<Record<string, string>> }) {
    return this.call("EnvironmentVersions_CreateOrUpdate", () =>
      copyEnvironmentVersion({ ml: this.ml(from), ws: from }, { ml: this.ml(to), ws: to }, environment),
    );
  }

  /**
   * For an export: the copies inside storage that gather a combined model's files (what `ensureCombinedModel`
   * does itself), as the README's `az storage blob copy` commands name them.
   */
  combinedModelCopies(ws: WorkspaceTarget, parts: CombinedModelSpec["parts"]) {
    return this.call("ModelVersions_Get", async () => {
      const { target, files } = await combinedModelFiles(this.ml(ws), ws, parts, { datastore: (name) => this.datastore(ws, name) });
      return {
        datastore: target.name,
        files: files.map((f) => ({
          account: target.account,
          sourceContainer: f.source.containerName,
          sourceBlob: f.blobName,
          container: target.container.containerName,
          target: f.target,
        })),
      };
    });
  }

  /**
   * The scoring code's files (a local folder, or the v1 snapshot through the artifact service). A snapshot read
   * to be used `again` is kept until a read marked `last` takes it: the script check reads the snapshot that the
   * code step uploads moments later, and a v1 snapshot never changes.
   */
  readCode(ws: WorkspaceTarget, source: CodeSource, use?: "again" | "last") {
    return source.kind === "folder" ? readCodeFolder(source.path, source.scoringScript) : this.snapshotCode(ws, source.service, { use });
  }

  /** A datastore of the workspace (undefined: the default one) as a container client, with the account key it lists. */
  private async datastore(ws: WorkspaceTarget, name: string | undefined): Promise<Datastore & { url: string; service: BlobServiceClient }> {
    const ml = this.ml(ws);
    let store: { name?: string; properties: unknown } | undefined;
    if (name) store = await ml.datastores.get(ws.resourceGroup, ws.workspace, name);
    else for await (const d of ml.datastores.list(ws.resourceGroup, ws.workspace, { isDefault: true })) store = d;
    const props = store?.properties as { accountName: string; containerName: string; endpoint?: string } | undefined;
    if (!store?.name || !props?.accountName)
      throw new OperationFailedError(
        `Workspace ${ws.workspace} has no ${name ? `blob datastore ${name}` : "default datastore"} to use.`,
        "NoDatastore",
        "Datastores_List",
      );
    const secrets = (await ml.datastores.listSecrets(ws.resourceGroup, ws.workspace, store.name)) as { key?: string };
    const account = blobServiceWithAccountKey(this.conn, props.accountName, secrets.key ?? "", props.endpoint);
    const container = account.getContainerClient(props.containerName);
    return {
      account: props.accountName,
      service: account,
      name: store.name,
      container,
      url: `${storageAccountUrl(this.conn, props.accountName, props.endpoint)}/${props.containerName}`,
    };
  }

  getEndpoint(ws: WorkspaceTarget, name: string) {
    return this.find("OnlineEndpoints_Get", async () => endpointState(await this.ml(ws).onlineEndpoints.get(ws.resourceGroup, ws.workspace, name)));
  }

  createOrUpdateEndpoint(ws: WorkspaceTarget, spec: EndpointSpec, wait: WaitOptions): Promise<EndpointState> {
    return this.call("OnlineEndpoints_CreateOrUpdate", async () => {
      const first = keepFirstAnswer(wait.signal);
      const call = this.ml(ws).onlineEndpoints.beginCreateOrUpdate(
        ws.resourceGroup,
        ws.workspace,
        spec.name,
        {
          location: ws.location,
          identity: { type: "SystemAssigned" },
          tags: { ...spec.tags },
          properties: {
            authMode: spec.authMode,
            description: spec.description,
            ...(spec.publicNetworkAccess ? { publicNetworkAccess: spec.publicNetworkAccess } : {}),
            ...(spec.keys ? { keys: { ...spec.keys } } : {}),
            ...(spec.traffic ? { traffic: { ...spec.traffic } } : {}),
          },
        },
        first.options,
      );
      const started = await first.settle(call);
      return this.untilProvisioned(ws, "OnlineEndpoints_CreateOrUpdate", `Endpoint ${spec.name}`, () => this.getEndpoint(ws, spec.name), started, wait);
    });
  }

  waitForEndpoint(ws: WorkspaceTarget, name: string, wait: WaitOptions): Promise<EndpointState> {
    return this.call("OnlineEndpoints_Get", () =>
      this.untilProvisioned(ws, "OnlineEndpoints_CreateOrUpdate", `Endpoint ${name}`, () => this.getEndpoint(ws, name), {}, wait),
    );
  }

  getDeployment(ws: WorkspaceTarget, endpoint: string, name: string) {
    return this.find("OnlineDeployments_Get", async () =>
      deploymentState(await this.ml(ws).onlineDeployments.get(ws.resourceGroup, ws.workspace, endpoint, name)),
    );
  }

  listDeployments(ws: WorkspaceTarget, endpoint: string): Promise<DeploymentState[]> {
    return this.call("OnlineDeployments_List", async () => {
      const out: DeploymentState[] = [];
      for await (const d of this.ml(ws).onlineDeployments.list(ws.resourceGroup, ws.workspace, endpoint)) out.push(deploymentState(d));
      return out;
    });
  }

  listEndpoints(ws: WorkspaceTarget): Promise<EndpointState[]> {
    return this.call("OnlineEndpoints_List", async () => {
      const out: EndpointState[] = [];
      for await (const e of this.ml(ws).onlineEndpoints.list(ws.resourceGroup, ws.workspace)) out.push(endpointState(e));
      return out;
    });
  }

  deleteEndpoint(ws: WorkspaceTarget, name: string, wait: WaitOptions): Promise<void> {
    return this.call("OnlineEndpoints_Delete", async () => {
      const poller = await this.ml(ws).onlineEndpoints.beginDelete(ws.resourceGroup, ws.workspace, name, {
        updateIntervalInMs: this.pollMs,
        abortSignal: wait.signal,
      });
      const watch = this.watch(async () => (await this.getEndpoint(ws, name)) ?? { provisioningState: "Deleted" }, wait);
      await this.untilDone(poller, "OnlineEndpoints_Delete", watch, wait);
    });
  }

  assetVersion(ws: WorkspaceTarget, kind: AssetKind, name: string, version: string) {
    const operation = kind === "code" ? "CodeVersions_Get" : kind === "model" ? "ModelVersions_Get" : "EnvironmentVersions_Get";
    return this.find(operation, async () => {
      const ml = this.ml(ws);
      const v =
        kind === "code"
          ? await ml.codeVersions.get(ws.resourceGroup, ws.workspace, name, version)
          : kind === "model"
            ? await ml.modelVersions.get(ws.resourceGroup, ws.workspace, name, version)
            : await ml.environmentVersions.get(ws.resourceGroup, ws.workspace, name, version);
      const tags = Object.fromEntries(Object.entries(v.properties.tags ?? {}).flatMap(([k, x]) => (typeof x === "string" ? [[k, x]] : [])));
      return { id: v.id!, tags };
    });
  }

  deleteAssetVersion(ws: WorkspaceTarget, kind: AssetKind, name: string, version: string): Promise<void> {
    return this.call(kind === "code" ? "CodeVersions_Delete" : kind === "model" ? "ModelVersions_Delete" : "EnvironmentVersions_Delete", async () => {
      const ml = this.ml(ws);
      if (kind === "code") await ml.codeVersions.delete(ws.resourceGroup, ws.workspace, name, version);
      else if (kind === "model") await ml.modelVersions.delete(ws.resourceGroup, ws.workspace, name, version);
      else await ml.environmentVersions.delete(ws.resourceGroup, ws.workspace, name, version);
    });
  }

  deleteDeployment(ws: WorkspaceTarget, endpoint: string, name: string, wait: WaitOptions): Promise<void> {
    return this.call("OnlineDeployments_Delete", async () => {
      const poller = await this.ml(ws).onlineDeployments.beginDelete(ws.resourceGroup, ws.workspace, endpoint, name, {
        updateIntervalInMs: this.pollMs,
        abortSignal: wait.signal,
      });
      const watch = this.watch(async () => (await this.getDeployment(ws, endpoint, name)) ?? { provisioningState: "Deleted" }, wait);
      await this.untilDone(poller, "OnlineDeployments_Delete", watch, wait);
    });
  }

  createOrUpdateDeployment(ws: WorkspaceTarget, spec: DeploymentSpec, wait: WaitOptions): Promise<DeploymentState> {
    return this.call("OnlineDeployments_CreateOrUpdate", async () => {
      const first = keepFirstAnswer(wait.signal);
      const call = this.ml(ws).onlineDeployments.beginCreateOrUpdate(
        ws.resourceGroup,
        ws.workspace,
        spec.endpointName,
        spec.name,
        {
          location: ws.location,
          tags: { ...spec.tags },
          sku: { name: "Default", capacity: spec.instanceCount },
          properties: {
            endpointComputeType: "Managed",
            model: spec.modelId,
            environmentId: spec.environmentId,
            ...(spec.codeId ? { codeConfiguration: { codeId: spec.codeId, scoringScript: spec.scoringScript } } : {}),
            instanceType: spec.instanceType,
            appInsightsEnabled: spec.appInsightsEnabled,
            environmentVariables: { ...spec.environmentVariables },
            requestSettings: { requestTimeout: `PT${Math.round(spec.requestTimeoutMs / 1000)}S`, maxConcurrentRequestsPerInstance: 1 },
            livenessProbe: probeSettings(spec.probes.liveness),
            readinessProbe: probeSettings(spec.probes.readiness),
          },
        },
        first.options,
      );
      const started = await first.settle(call);
      const read = () => this.getDeployment(ws, spec.endpointName, spec.name);
      return this.untilProvisioned(ws, "OnlineDeployments_CreateOrUpdate", `Deployment ${spec.name}`, read, started, wait);
    });
  }

  waitForDeployment(ws: WorkspaceTarget, endpoint: string, name: string, wait: WaitOptions): Promise<DeploymentState> {
    return this.call("OnlineDeployments_Get", async () => {
      // An earlier process started the operation: where its status is, Azure records on the deployment.
      const started = { statusUrl: await this.asyncOperationUri(ws, endpoint, name) };
      const read = () => this.getDeployment(ws, endpoint, name);
      return this.untilProvisioned(ws, "OnlineDeployments_CreateOrUpdate", `Deployment ${name}`, read, started, wait);
    });
  }

  deploymentLogs(ws: WorkspaceTarget, endpoint: string, name: string, container: "StorageInitializer" | "InferenceServer", tail?: number) {
    return this.call(
      "OnlineDeployments_GetLogs",
      async () =>
        (await this.ml(ws).onlineDeployments.getLogs(ws.resourceGroup, ws.workspace, endpoint, name, { containerType: container, tail })).content ?? "",
    );
  }

  /** Through the default datastore's account key: the build log is in the same (the workspace's default) storage account. */
  imageBuildLog(ws: WorkspaceTarget, where: BuildLogLocation) {
    return this.find("Blob_Get", async () => {
      const store = await this.datastore(ws, undefined);
      if (store.account.toLowerCase() !== where.account.toLowerCase()) return undefined;
      return (await downloadWhole(store.service.getContainerClient(where.container).getBlobClient(where.path))).toString("utf8");
    });
  }

  /** The lease blob is `aci-migrate-leases/<workspace>/<service>` in the default datastore's container (shared storage may serve several workspaces). */
  leaseService(ws: WorkspaceTarget, service: string, holder: LeaseHolder, o: { onLost: (why: string) => void }) {
    return this.call("Blob_Lease", async () => {
      const store = await this.datastore(ws, undefined);
      const blob = store.container.getBlockBlobClient(`aci-migrate-leases/${ws.workspace}/${service}`);
      return takeServiceLease(blob, holder, { renewMs: this.conn.leaseRenewMs ?? 20_000, floorMs: retryFloorMs(this.conn), onLost: o.onLost });
    });
  }

  listEndpointKeys(ws: WorkspaceTarget, endpoint: string): Promise<ServiceKeys> {
    return this.call("OnlineEndpoints_ListKeys", async () => {
      const k = await this.ml(ws).onlineEndpoints.listKeys(ws.resourceGroup, ws.workspace, endpoint);
      return { primaryKey: k.primaryKey ?? "", secondaryKey: k.secondaryKey ?? "" };
    });
  }

  async v1Swagger(swaggerUri: string): Promise<unknown> {
    const response = await this.dataPlane().sendRequest(createDefaultHttpClient(), createPipelineRequest({ url: swaggerUri, method: "GET", timeout: 30_000 }));
    if (response.status !== 200) return undefined;
    try {
      return JSON.parse(response.bodyAsText ?? "");
    } catch {
      return undefined;
    }
  }

  async collectedInputs(ws: WorkspaceTarget, service: string) {
    return this.call("Blob_List", async () => readCollectedFiles((await this.datastore(ws, undefined)).service, ws, service));
  }

  async score(scoringUri: string, key: string | undefined, body: unknown, deployment?: string) {
    const pipeline = this.dataPlane();
    const headers = createHttpHeaders({
      "content-type": "application/json",
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(deployment ? { "azureml-model-deployment": deployment } : {}),
    });
    const response = await pipeline.sendRequest(
      createDefaultHttpClient(),
      createPipelineRequest({ url: scoringUri, method: "POST", headers, body: JSON.stringify(body), timeout: 90_000 }),
    );
    let parsed: unknown = response.bodyAsText;
    try {
      parsed = JSON.parse(response.bodyAsText ?? "");
    } catch {
      /* not JSON: keep the text */
    }
    const contentType = response.headers.get("content-type");
    return { status: response.status, body: parsed, ...(contentType ? { contentType } : {}) };
  }

  /** A pipeline for scoring hosts (not ARM): the sandbox CA when there is one, and our retry policy. */
  private dataPlane() {
    return withPolicies(
      createPipelineFromOptions({ ...(this.conn.caPem ? { tlsOptions: { ca: this.conn.caPem } } : {}), ...retryOptions(this.conn) }),
      this.conn,
    );
  }

  /** The operation-status URL of a deployment's latest operation, as Azure records it on the deployment. */
  private async asyncOperationUri(ws: WorkspaceTarget, endpoint: string, name: string): Promise<string | undefined> {
    const d = await this.ml(ws).onlineDeployments.get(ws.resourceGroup, ws.workspace, endpoint, name);
    return (d.properties.properties as Record<string, string> | undefined)?.AzureAsyncOperationUri;
  }

  /** An operation's status document (`Azure-AsyncOperation`), read through the workspace client's pipeline. */
  private async operationStatus(ws: WorkspaceTarget, url: string): Promise<{ status?: string; error?: { code?: string; message?: string } }> {
    const r = await this.ml(ws).sendRequest(createPipelineRequest({ url, method: "GET" }));
    const body = JSON.parse(r.bodyAsText || "{}") as { status?: string; error?: { code?: string; message?: string } };
    if (r.status >= 400) {
      const requestId = r.headers.get("x-ms-request-id");
      throw new AzureRequestError(body.error?.message ?? `HTTP ${r.status}`, r.status, body.error?.code, requestId, "OperationStatus_Get");
    }
    return body;
  }

  /** Waits for a create or update under way (see untilProvisioned), reporting the state as the watches do. */
  private async untilProvisioned<T extends { provisioningState: string }>(
    ws: WorkspaceTarget,
    operation: string,
    what: string,
    read: () => Promise<T | undefined>,
    started: Started,
    wait: WaitOptions,
  ): Promise<T> {
    this.watching++;
    try {
      return await untilProvisioned(
        {
          read,
          operationStatus: (url) => this.operationStatus(ws, url),
          pollMs: this.pollMs,
          mayReport: (since) => since >= Math.max(1000 / WATCH_PER_SECOND, (this.watching * 1000) / WATCHES_PER_SECOND),
          operation,
          what,
        },
        started,
        wait,
      );
    } finally {
      this.watching--;
    }
  }

  /**
   * Waits for an SDK poller. An operation that Azure ended as Failed becomes an OperationFailedError carrying
   * Azure's own words (core-lro reports it as "The long-running operation has failed. <code>. <message>").
   */
  private async untilDone(
    poller: { pollUntilDone(o?: { abortSignal?: AbortSignal }): Promise<unknown> },
    operation: string,
    watch: { stop(): void },
    wait: WaitOptions,
  ): Promise<unknown> {
    try {
      return await poller.pollUntilDone({ abortSignal: wait.signal });
    } catch (e) {
      const m = /^The long-running operation has failed\. (?:(\w+)\. )?([\s\S]*)$/.exec((e as Error).message ?? "");
      if (m && !isRestError(e)) throw new OperationFailedError(m[2] || (e as Error).message, m[1], operation);
      throw e;
    } finally {
      watch.stop();
    }
  }

  /**
   * Reports a resource's provisioning state every poll interval (at most WATCH_PER_SECOND times a second, and
   * less often when many watches run: WATCHES_PER_SECOND) while an SDK poller waits on it; each report also lets
   * the caller read the logs. Against a sped-up sandbox the poll interval is a few milliseconds, and a watch that
   * kept pace would spend the machine on reads nobody can see.
   */
  private watch(read: () => Promise<{ provisioningState: string } | undefined>, wait: WaitOptions): { stop(): void } {
    let stopped = false;
    let last: string | undefined;
    this.watching++;
    void (async () => {
      while (!stopped && !wait.signal?.aborted) {
        try {
          const r = await read();
          // Report changes of state; a tick with no change still lets the caller poll logs.
          if (r && !stopped) wait.onProgress?.({ status: r.provisioningState, changed: r.provisioningState !== last });
          last = r?.provisioningState;
        } catch {
          /* progress is best effort; the poller reports real failures */
        }
        await sleep(Math.max(this.pollMs, 1000 / WATCH_PER_SECOND, (this.watching * 1000) / WATCHES_PER_SECOND)).catch(() => undefined);
      }
    })();
    return {
      stop: () => {
        if (!stopped) this.watching--;
        stopped = true;
      },
    };
  }
}

function endpointState(e: OnlineEndpoint & { id?: string; name?: string; tags?: Record<string, string> }): EndpointState {
  return {
    id: e.id ?? "",
    name: e.name ?? "",
    provisioningState: e.properties.provisioningState ?? "Succeeded",
    authMode: e.properties.authMode,
    tags: e.tags ?? {},
    traffic: e.properties.traffic ?? {},
    scoringUri: e.properties.scoringUri ?? undefined,
    ...(e.properties.publicNetworkAccess ? { publicNetworkAccess: e.properties.publicNetworkAccess } : {}),
  };
}

function deploymentState(d: {
  id?: string;
  name?: string;
  tags?: Record<string, string>;
  sku?: { capacity?: number };
  properties: {
    provisioningState?: string;
    instanceType?: string;
    environmentId?: string;
    model?: string;
    codeConfiguration?: { codeId?: string; scoringScript?: string };
    requestSettings?: { requestTimeout?: string };
  };
}): DeploymentState {
  const p = d.properties;
  return {
    id: d.id ?? "",
    name: d.name ?? "",
    provisioningState: p.provisioningState ?? "Succeeded",
    instanceType: p.instanceType ?? "",
    instanceCount: d.sku?.capacity ?? 1,
    tags: d.tags ?? {},
    environmentId: p.environmentId,
    modelId: p.model,
    codeId: p.codeConfiguration?.codeId,
    scoringScript: p.codeConfiguration?.scoringScript,
    requestTimeoutMs: p.requestSettings?.requestTimeout ? isoDurationMs(p.requestSettings.requestTimeout) : undefined,
  };
}

/** A probe as ARM takes it (ISO 8601 durations). */
function probeSettings(p: DeploymentSpec["probes"]["liveness"]) {
  return {
    initialDelay: `PT${p.initialDelaySeconds}S`,
    period: `PT${p.periodSeconds}S`,
    timeout: `PT${p.timeoutSeconds}S`,
    failureThreshold: p.failureThreshold,
    successThreshold: p.successThreshold,
  };
}
