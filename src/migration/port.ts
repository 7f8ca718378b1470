import type { PublicNetworkAccess } from "../domain/network-access.js";
import type { BuildLogLocation } from "../domain/image-build-log.js";
import type { CollectedFile } from "../domain/collected-inputs.js";
import type { RehearsalJob, RehearsalOptions, RehearsalOutcome } from "../domain/rehearsal.js";
import type { MigrationPlan } from "../domain/plan.js";
import type { ScriptEdit } from "../domain/script-habits.js";
import type { ServiceKeys } from "./service-keys.js";

/** Where the scoring code comes from: the v1 service's source snapshot, or a folder the user names. */
export type CodeSource = (
  { readonly kind: "snapshot"; readonly service: Record<string, unknown> } | { readonly kind: "folder"; readonly path: string; readonly scoringScript?: string }
) & {
  /** Accepted edits of the scoring script, made in the uploaded copy only. */
  readonly edits?: { readonly file: string; readonly edits: readonly ScriptEdit[] };
};

/** How far a code upload is: said once before the first byte (done 0), then as files finish. */
export interface UploadProgress {
  readonly files: number;
  readonly totalFiles: number;
  readonly bytes: number;
  readonly totalBytes: number;
}

export interface CombinedModelSpec {
  readonly name: string;
  /** The registered versions to combine, each copied to `paths[name:version]` of the folder. */
  readonly parts: readonly { readonly name: string; readonly version: string; readonly path: string }[];
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** How far the server-side copy of a combined model's files is (said once with copied 0, then as files finish). */
export interface CopyProgress {
  readonly copied: number;
  readonly total: number;
  readonly bytes: number;
}

/** Which workspace the migration works in. */
/** A model as a deployment names it: one registered version, or the folder model that gathers several. */
export type ModelToSave =
  { readonly kind: "registered"; readonly name: string; readonly version: string } | { readonly kind: "combined"; readonly parts: CombinedModelSpec["parts"] };

export interface WorkspaceTarget {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly workspace: string;
  readonly location: string;
}

/** The registered assets a migration makes (and a rollback may delete). */
export type AssetKind = "code" | "model" | "environment";

export interface RegisteredEnvironment {
  readonly name: string;
  readonly version: string;
  readonly image?: string;
  readonly condaFile?: string;
}

export interface EndpointState {
  readonly id: string;
  readonly name: string;
  readonly provisioningState: string;
  readonly authMode: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly traffic: Readonly<Record<string, number>>;
  readonly scoringUri?: string;
  /** "Disabled": scoring requests only through the workspace's private endpoint (absent: Azure did not say). */
  readonly publicNetworkAccess?: string;
}

export interface DeploymentState {
  readonly id: string;
  readonly name: string;
  readonly provisioningState: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly tags: Readonly<Record<string, string>>;
  /** What runs: the ARM ids of its environment, model and code, its scoring script and request timeout. */
  readonly environmentId?: string;
  readonly modelId?: string;
  readonly codeId?: string;
  readonly scoringScript?: string;
  readonly requestTimeoutMs?: number;
}

export interface EndpointSpec {
  readonly name: string;
  readonly authMode: "Key" | "AMLToken" | "AADToken";
  readonly tags: Readonly<Record<string, string>>;
  readonly description: string;
  /** The v1 keys, held in memory only, set on creation so callers change only the URL. */
  readonly keys?: ServiceKeys;
  readonly traffic?: Readonly<Record<string, number>>;
  readonly publicNetworkAccess?: PublicNetworkAccess;
}

export interface DeploymentSpec {
  readonly endpointName: string;
  readonly name: string;
  readonly modelId: string;
  readonly environmentId: string;
  /** Absent for a custom container whose image carries its scoring code. */
  readonly codeId?: string;
  readonly scoringScript: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly requestTimeoutMs: number;
  readonly probes: MigrationPlan["probes"];
  readonly appInsightsEnabled: boolean;
  readonly environmentVariables: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

/** How a long-running operation is going, reported while the engine waits on it. */
export interface LroProgress {
  readonly status: string;
  readonly percentComplete?: number;
  /** False on a tick where nothing changed (still useful, e.g. to poll logs); absent or true otherwise. */
  readonly changed?: boolean;
}

export interface WaitOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: LroProgress) => void;
}

/**
 * Everything the engine asks of Azure. `src/azure/` implements it with the real SDK clients; the engine never
 * sees an SDK type. Methods that read return undefined for "not there"; failures throw AzureRequestError,
 * OperationFailedError or UserFixableError (src/migration/errors.ts).
 */
export interface MigrationPort {
  getV1Service(ws: WorkspaceTarget, name: string): Promise<Record<string, unknown> | undefined>;
  listV1ServiceKeys(ws: WorkspaceTarget, name: string): Promise<ServiceKeys>;
  /** The free vCPUs of a VM family in the region (limit − current usage). */
  freeQuota(ws: WorkspaceTarget, family: string): Promise<number | undefined>;
  /** Whether a managed endpoint of that name exists anywhere in the region (names are unique per region). */
  isEndpointNameTaken(location: string, name: string): Promise<boolean>;
  modelVersionId(ws: WorkspaceTarget, name: string, version: string): Promise<string | undefined>;
  /** The file or folder a model version registered (the last part of its path): what v1 put under `azureml-models/{name}/{version}/`. */
  modelFileName(ws: WorkspaceTarget, name: string, version: string): Promise<string | undefined>;
  environmentVersion(ws: WorkspaceTarget, name: string, version: string | undefined): Promise<{ id: string; condaFile?: string; image?: string } | undefined>;
  /** Every registered environment version of the workspace (newest version of each name first), with its conda file. */
  listEnvironments(ws: WorkspaceTarget): Promise<RegisteredEnvironment[]>;
  /** A registered environment that runs a v1 image as a custom container (v1's routes on port 5001); reused if it exists. */
  ensureImageEnvironment(ws: WorkspaceTarget, name: string, image: string): Promise<string>;
  /** Uploads the scoring code under a content hash and registers a code version; reuses one with the same hash. */
  /** Registers the code (uploading it once per content hash); `onUpload` hears how the upload goes. */
  /** The text of one file of the code (the scoring script, for the script check); undefined when it has none. */
  codeFile(ws: WorkspaceTarget, source: CodeSource, path: string): Promise<string | undefined>;
  /** Writes the code that would be deployed (with the accepted edits) into a local folder: a rehearsal's. */
  saveCode(ws: WorkspaceTarget, source: CodeSource, dir: string): Promise<void>;
  /** Downloads a model's files into a local folder, as $AZUREML_MODEL_DIR holds them on the deployment. */
  saveModel(ws: WorkspaceTarget, model: ModelToSave, dir: string, onProgress?: (message: string) => void): Promise<void>;
  ensureCode(
    ws: WorkspaceTarget,
    source: CodeSource,
    codeName: string,
    onUpload?: (p: UploadProgress) => void,
    tags?: Readonly<Record<string, string>>,
    /** Where a snapshot source is read, when the code goes into another workspace. */
    readFrom?: WorkspaceTarget,
  ): Promise<{ id: string; reused: boolean }>;
  /**
   * A registered model version made in another workspace (its files copied by Storage into that workspace's
   * default datastore, then registered under the same name and version); one already there is reused.
   */
  copyModelVersion(
    from: WorkspaceTarget,
    to: WorkspaceTarget,
    model: { name: string; version: string; tags: Readonly<Record<string, string>> },
    onCopy?: (p: CopyProgress) => void,
  ): Promise<{ id: string; reused: boolean }>;
  /** A registered environment version registered again in another workspace from its definition; one already there is reused. */
  copyEnvironmentVersion(
    from: WorkspaceTarget,
    to: WorkspaceTarget,
    environment: { name: string; version: string; tags: Readonly<Record<string, string>> },
  ): Promise<{ id: string; reused: boolean }>;
  /**
   * One folder model from several registered model versions: each version's files copied inside storage (never
   * through this machine) to `models/{name}/{version}/…` of one content-addressed folder of the default datastore,
   * and a model version registered over it. A version whose content property matches is reused.
   */
  ensureCombinedModel(
    ws: WorkspaceTarget,
    spec: CombinedModelSpec,
    onCopy?: (p: CopyProgress) => void,
  ): Promise<{ id: string; version: string; folder: string; reused: boolean }>;
  getEndpoint(ws: WorkspaceTarget, name: string): Promise<EndpointState | undefined>;
  /** Every managed endpoint of the workspace. */
  listEndpoints(ws: WorkspaceTarget): Promise<EndpointState[]>;
  /** Deletes an endpoint (its deployments go with it) and waits until it is gone. */
  deleteEndpoint(ws: WorkspaceTarget, name: string, wait: WaitOptions): Promise<void>;
  /** A registered code or model version's tags; undefined when it is not there. */
  assetVersion(
    ws: WorkspaceTarget,
    kind: AssetKind,
    name: string,
    version: string,
  ): Promise<{ id: string; tags: Readonly<Record<string, string>> } | undefined>;
  deleteAssetVersion(ws: WorkspaceTarget, kind: AssetKind, name: string, version: string): Promise<void>;
  createOrUpdateEndpoint(ws: WorkspaceTarget, spec: EndpointSpec, wait: WaitOptions): Promise<EndpointState>;
  /** Waits for an endpoint that is already provisioning (after a resume): re-attach, never re-PUT. */
  waitForEndpoint(ws: WorkspaceTarget, name: string, wait: WaitOptions): Promise<EndpointState>;
  getDeployment(ws: WorkspaceTarget, endpoint: string, name: string): Promise<DeploymentState | undefined>;
  /** Every deployment of the endpoint (the blue/green switch finds the ones it replaced by their tags). */
  listDeployments(ws: WorkspaceTarget, endpoint: string): Promise<DeploymentState[]>;
  /** Deletes a deployment and waits until it is gone (one already being deleted is waited for, not deleted twice). */
  deleteDeployment(ws: WorkspaceTarget, endpoint: string, name: string, wait: WaitOptions): Promise<void>;
  createOrUpdateDeployment(ws: WorkspaceTarget, spec: DeploymentSpec, wait: WaitOptions): Promise<DeploymentState>;
  /** Waits for a deployment that is already provisioning (after a resume): re-attach, never re-PUT. */
  waitForDeployment(ws: WorkspaceTarget, endpoint: string, name: string, wait: WaitOptions): Promise<DeploymentState>;
  /** A container's log: its last `tail` lines when given (Azure's getLogs `tail`), else all Azure keeps. */
  deploymentLogs(ws: WorkspaceTarget, endpoint: string, name: string, container: "StorageInitializer" | "InferenceServer", tail?: number): Promise<string>;
  /** An environment's image build log, where an ImageBuildFailure says it is (the workspace's default storage); undefined when it is not there. */
  imageBuildLog(ws: WorkspaceTarget, where: BuildLogLocation): Promise<string | undefined>;
  /**
   * Makes this process the one driver of a service across machines (a blob lease in the workspace's default
   * storage, renewed while held), or says who holds it. Absent: the port has no shared storage (one machine).
   */
  leaseService?(
    ws: WorkspaceTarget,
    service: string,
    holder: LeaseHolder,
    o: { onLost: (why: string) => void },
  ): Promise<DriverLease | { heldBy?: LeaseHolder }>;
  listEndpointKeys(ws: WorkspaceTarget, endpoint: string): Promise<ServiceKeys>;
  /** The v1 service's generated swagger (served without auth); undefined when it has none (404) or it is not JSON. */
  v1Swagger(swaggerUri: string): Promise<unknown>;
  /** The files v1 model data collection wrote for a service in the workspace's default storage (none: it collected nothing). */
  collectedInputs(ws: WorkspaceTarget, service: string): Promise<CollectedFile[]>;
  /** Scores a request (pinned to a deployment by `azureml-model-deployment` when named): the answer parsed as JSON when it is. */
  score(scoringUri: string, key: string | undefined, body: unknown, deployment?: string): Promise<{ status: number; body: unknown; contentType?: string }>;
}

/** Runs a service on this machine in the managed layout (src/rehearse/ implements it; the CLI wires it in). */
export interface Rehearser {
  rehearse(job: RehearsalJob, o: RehearsalOptions): Promise<RehearsalOutcome>;
}

/** Who drives a service: written on its lease blob so that another machine can say who holds it (no secret). */
export interface LeaseHolder {
  readonly host: string;
  readonly user: string;
  readonly sessionId: string;
}

/** A held lease on a service: let go of it when the run of the service ends. */
export interface DriverLease {
  release(): Promise<void>;
}
