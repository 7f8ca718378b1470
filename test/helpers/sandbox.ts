import { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { publishConnection } from "../../src/cli/sandbox-connection.js";
import { clientOptions, type AzureConnection } from "../../src/azure/connection.js";
import { blobServiceWithAccountKey } from "../../src/azure/blob-storage.js";
import { ModelManagementClient } from "../../src/azure/model-management-client.js";
import { startSandbox, type Sandbox, type SandboxOptions, type ServedResponse } from "../../src/sandbox/index.js";
import { responseSchema, validate } from "./swagger-validator.js";

/** Operations with no definition in the reference swagger (checked by their own tests instead). */
export const UNSPECIFIED_OPERATIONS = new Set([
  "Subscriptions_List", // @azure/arm-resources-subscriptions: its swagger is not in shared/reference
  "Subscriptions_Get",
  "Tenants_List",
  "Discovery_Get", // the workspace discovery document is undocumented
  "StorageAccounts_List", // Microsoft.Storage's swagger is not in shared/reference: azure-mgmt-storage judges these
  "StorageAccounts_ListByResourceGroup",
  "StorageAccounts_GetProperties",
  "StorageAccounts_ListKeys",
  "Metadata_Endpoints", // ARM's cloud metadata has no swagger of its own
  "OperationStatus_Get", // mfeOperationsStatus / mfeOperationResults: LRO plumbing, no definition in mfe.json
  "OperationResult_Get",
  "Artifacts_GetContentInfo", // the v1 artifact service has no published swagger
  "Services_GetLogs",
  "Score_Aci", // scoring bodies are the user's model output
  "Score_Online",
  "Score_NameProbe",
  "Swagger_Aci", // the v1 service's own generated swagger (its shape is checked by test/domain/v1-swagger.test.ts)
  "Unknown", // 404 for paths no route serves
]);

export interface SandboxHarness {
  readonly sb: Sandbox;
  readonly conn: AzureConnection;
  readonly served: ServedResponse[];
  ml(subscriptionId?: string): AzureMachineLearningWorkspaces;
  subscriptions(): SubscriptionClient;
  mms(): ModelManagementClient;
  /** Uploads a blob through the real storage client, with the account key the workspace's datastore lists. */
  uploadBlob(account: string, container: string, name: string, content: string | Buffer): Promise<void>;
  /** The seeded production subscription. */
  readonly prodSub: string;
}

/** Problems of every recorded JSON body against the swagger definition of its operation (or `default` for errors). */
export function swaggerProblems(served: readonly ServedResponse[]): string[] {
  const problems: string[] = [];
  for (const r of served) {
    if (r.body === undefined || UNSPECIFIED_OPERATIONS.has(r.operation) || r.operation.startsWith("Blob_")) continue;
    // The reference swagger is 2022-10-01's; answers to other versions are judged by the clients that sent them.
    if (r.apiVersion !== null && r.apiVersion !== "2022-10-01") continue;
    const located = responseSchema(r.operation, r.status);
    if (located === undefined) {
      problems.push(`${r.operation} ${r.status}: no swagger response for this status`);
      continue;
    }
    if (located === null) continue; // the spec declares no body for this status
    for (const p of validate(r.body, located)) problems.push(`${r.method} ${r.path} (${r.operation} ${r.status}) ${p}`);
  }
  return [...new Set(problems)];
}

/**
 * Starts a sandbox for the test file and, after its tests, checks every JSON body it served against the
 * swagger definition of the operation (or `default` for errors).
 */
export function useSandbox(options: SandboxOptions = {}): SandboxHarness {
  const served: ServedResponse[] = [];
  let sb: Sandbox | undefined;
  const harness = {
    served,
    get sb() {
      return sb!;
    },
    get conn(): AzureConnection {
      return { armEndpoint: sb!.armEndpoint, credential: sb!.credential, caPem: sb!.caPem, storageAccountUrl: (account) => `${sb!.armEndpoint}/${account}` };
    },
    get prodSub() {
      return sb!.world.subscriptions[0]!.subscriptionId;
    },
    ml(subscriptionId?: string) {
      return new AzureMachineLearningWorkspaces(sb!.credential, subscriptionId ?? harness.prodSub, clientOptions(harness.conn));
    },
    subscriptions() {
      return new SubscriptionClient(sb!.credential, clientOptions(harness.conn));
    },
    mms() {
      return new ModelManagementClient(harness.conn, sb!.armEndpoint);
    },
    async uploadBlob(account: string, container: string, name: string, content: string | Buffer) {
      const key = sb!.world.datastores.find((d) => d.accountName === account)!.accountKey;
      const data = typeof content === "string" ? Buffer.from(content) : content;
      await blobServiceWithAccountKey(harness.conn, account, key).getContainerClient(container).getBlockBlobClient(name).upload(data, data.length);
    },
  };
  beforeAll(async () => {
    sb = await startSandbox({ speed: 1000, ...options, onResponse: (r) => served.push(r) });
  });
  afterAll(async () => {
    await sb?.stop();
    expect(swaggerProblems(served)).toEqual([]);
  });
  return harness;
}

/** Fast polling for LROs against a sped-up sandbox. */
export const FAST = { updateIntervalInMs: 10 } as const;

export interface AttachedSandbox {
  readonly sb: Sandbox;
  /** The state directory whose connection file lets CLI child processes attach (`--sandbox --state-dir`). */
  readonly stateDir: string;
  readonly served: ServedResponse[];
}

/**
 * One test's own sandbox that CLI child processes attach to through its state directory (`--sandbox
 * --state-dir`); `stop` checks every body it served against the swagger and removes the directory.
 */
export async function startAttachedSandbox(options: SandboxOptions & { speed: number }): Promise<AttachedSandbox & { stop(): Promise<void> }> {
  const served: ServedResponse[] = [];
  const stateDir = await mkdtemp(join(tmpdir(), "aci-migrate-attached-"));
  const sb = await startSandbox({ ...options, stateDir, onResponse: (r) => (served.push(r), options.onResponse?.(r)) });
  publishConnection(stateDir, sb, options.speed);
  return {
    sb,
    stateDir,
    served,
    async stop() {
      await sb.stop();
      rmSync(stateDir, { recursive: true, force: true });
      expect(swaggerProblems(served)).toEqual([]);
    },
  };
}

/**
 * A sandbox in this process that CLI child processes attach to through its state directory; when the file's
 * tests end, every body it served is checked against the swagger.
 */
export function useAttachedSandbox(options: SandboxOptions & { speed: number }, prepare?: (sb: Sandbox) => void): AttachedSandbox {
  const served: ServedResponse[] = [];
  let sb: Sandbox | undefined;
  let stateDir = "";
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "aci-migrate-attached-"));
    sb = await startSandbox({ ...options, stateDir, onResponse: (r) => (served.push(r), options.onResponse?.(r)) });
    prepare?.(sb);
    publishConnection(stateDir, sb, options.speed);
  });
  afterAll(async () => {
    await sb?.stop();
    rmSync(stateDir, { recursive: true, force: true });
    expect(swaggerProblems(served)).toEqual([]);
  });
  return {
    served,
    get sb() {
      return sb!;
    },
    get stateDir() {
      return stateDir;
    },
  };
}
