/**
 * The sandbox's whole state: plain JSON, persisted to the state directory after every change so a sandbox
 * restarted later sees the same world. Derived things (provisioning states, logs, URLs with the current port)
 * are computed at read time from these records and the clock, never stored.
 */
export const WORLD_SCHEMA_VERSION = 2;

export interface TenantRecord {
  tenantId: string;
  displayName: string;
  defaultDomain: string;
}

export interface SubscriptionRecord {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
}

export interface WorkspaceRecord {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  workspaceGuid: string;
  friendlyName: string;
  storageAccount: string;
}

export interface ServiceRecord {
  workspace: string;
  name: string;
  /** The model-management body without its URLs (added per request, with the sandbox's current address). */
  doc: Record<string, unknown>;
  keys?: { primaryKey: string; secondaryKey: string };
  /** What the deployed model answers: the same fingerprint on both sides gives the same prediction. */
  modelFingerprint: string;
  /** The sample its scoring script declares (inference-schema); such a service serves a swagger with it. */
  inputExample?: unknown;
  /** The v1 source snapshot (a real .tar.gz in blob storage), addressed as the artifact service does. */
  snapshot?: { origin: string; container: string; path: string; account: string; blobContainer: string; blobName: string };
  logs: string[];
}

export interface ModelVersionRecord {
  workspace: string;
  name: string;
  version: string;
  modelUri: string;
  description?: string;
  tags: Record<string, string>;
  properties: Record<string, string>;
  modelType: string;
  createdAtMs: number;
}

export interface EnvironmentVersionRecord {
  workspace: string;
  name: string;
  version: string;
  image?: string;
  condaFile?: string;
  /** Routes of a custom container (liveness, readiness, scoring), as sent. */
  inferenceConfig?: Record<string, unknown>;
  description?: string;
  tags: Record<string, string>;
  createdAtMs: number;
}

export interface CodeVersionRecord {
  workspace: string;
  name: string;
  version: string;
  codeUri?: string;
  description?: string;
  tags: Record<string, string>;
  properties: Record<string, string>;
  createdAtMs: number;
}

export interface DatastoreRecord {
  workspace: string;
  name: string;
  accountName: string;
  containerName: string;
  isDefault: boolean;
  accountKey: string;
}

/** A blob's properties; its bytes are kept by sha256 in BlobContents (on disk beside the world). */
export interface BlobRecord {
  sha256: string;
  size: number;
  contentType: string;
  lastModifiedMs: number;
  etag: string;
  contentMd5: string;
  /** `x-ms-meta-*` name → value, as set on upload or by Set Blob Metadata. */
  metadata?: Record<string, string>;
  /** The committed blocks of a staged upload (Get Block List), in order. */
  blocks?: { id: string; size: number }[];
  /** Set by Copy Blob: the copy that made this blob (Get Blob Properties reports it). */
  copy?: { id: string; source: string; completedMs: number };
  /** Lease Blob's lease, while one was taken and not released (see blob-lease.ts for its states). */
  lease?: BlobLease;
}

export interface BlobLease {
  id: string;
  /** 15-60, or -1 for one that never expires. */
  durationS: number;
  /** When it was acquired or last renewed. */
  acquiredMs: number;
  /** Set by a break: when the break period ends. */
  brokenAtMs?: number;
}

export interface EndpointRecord {
  workspace: string;
  subscriptionId: string;
  name: string;
  location: string;
  authMode: "Key" | "AMLToken" | "AADToken";
  keys: { primaryKey: string; secondaryKey: string };
  tags: Record<string, string>;
  description?: string;
  traffic: Record<string, number>;
  /** Every change of the traffic, oldest first (what a test of a cut-over in steps reads; Azure keeps it in its activity log). */
  trafficHistory?: { atMs: number; traffic: Record<string, number> }[];
  mirrorTraffic: Record<string, number>;
  publicNetworkAccess: string;
  principalId: string;
  createdAtMs: number;
  lastModifiedMs: number;
  /** The latest operation on the endpoint; its state is the endpoint's provisioning state. */
  operationId: string;
}

export interface DeploymentRecord {
  workspace: string;
  subscriptionId: string;
  endpoint: string;
  name: string;
  location: string;
  /** `properties` as the client sent them, plus server defaults. */
  properties: Record<string, unknown>;
  sku?: { name: string; capacity: number; tier?: string };
  tags: Record<string, string>;
  createdAtMs: number;
  lastModifiedMs: number;
  operationId: string;
  modelFingerprint: string;
  /** Why the container will crash, when its environment cannot serve or init() fails (decided at PUT time). */
  crash?: string;
  /** What the storage initializer downloaded (absent: the download failed, and `crash` says why). */
  download?: { modelFiles: number; modelBytes: number; codeFiles?: number };
  /** How the scoring script's init() went in a real interpreter (its output), when the sandbox could run it. */
  init?: { outcome: "started" | "crashed" | "not-run"; lines: string[] };
}

export type OperationKind = "endpoint-create" | "endpoint-update" | "endpoint-delete" | "deployment-create" | "deployment-update" | "deployment-delete";

export interface OperationRecord {
  id: string;
  kind: OperationKind;
  subscriptionId: string;
  location: string;
  /** Lower-cased ARM id of the resource the operation works on. */
  target: string;
  startedAtMs: number;
  /** Real milliseconds (already divided by the speed factor) until the operation ends. */
  durationMs: number;
  outcome: "Succeeded" | "Failed";
  error?: { code: string; message: string };
  /** Set once the end of the operation has been applied to the world (e.g. the resource removed). */
  applied?: boolean;
}

export interface QuotaLimitRecord {
  subscriptionId: string;
  location: string;
  family: string;
  limit: number;
}

export interface SandboxWorld {
  schemaVersion: number;
  seed: number;
  createdAtMs: number;
  tenants: TenantRecord[];
  subscriptions: SubscriptionRecord[];
  workspaces: WorkspaceRecord[];
  services: ServiceRecord[];
  models: ModelVersionRecord[];
  environments: EnvironmentVersionRecord[];
  codes: CodeVersionRecord[];
  datastores: DatastoreRecord[];
  /** `account/container` of every blob container that exists. */
  blobContainers: string[];
  /** Keyed `account/container/blob name`. */
  blobs: Record<string, BlobRecord>;
  endpoints: EndpointRecord[];
  deployments: DeploymentRecord[];
  operations: OperationRecord[];
  /** Endpoint names held in a region by "another tenant": never creatable here. */
  reservedEndpointNames: { location: string; name: string }[];
  quotaLimits: QuotaLimitRecord[];
}
