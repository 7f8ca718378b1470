import { iso } from "./clock.js";
import type { SandboxContext } from "./context.js";
import { PROVIDER, workspaceId } from "./ids.js";
import { deploymentFill, propertiesFor } from "./version-shapes.js";
import { findOperation, provisioningState } from "./operations.js";
import type {
  CodeVersionRecord,
  DatastoreRecord,
  DeploymentRecord,
  EndpointRecord,
  EnvironmentVersionRecord,
  ModelVersionRecord,
  WorkspaceRecord,
} from "./world.js";

/** ARM bodies of the sandbox's resources, built per request (URLs carry the sandbox's current address). */

const systemData = (createdMs: number, modifiedMs = createdMs) => ({
  createdAt: iso(createdMs),
  createdBy: "sandbox-user@contoso.com",
  createdByType: "User",
  lastModifiedAt: iso(modifiedMs),
  lastModifiedBy: "sandbox-user@contoso.com",
  lastModifiedByType: "User",
});

export function workspaceBody(ws: WorkspaceRecord, origin: string): Record<string, unknown> {
  const id = workspaceId(ws);
  const rg = `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers`;
  return {
    id,
    name: ws.name,
    type: `${PROVIDER}/workspaces`,
    location: ws.location,
    tags: {},
    identity: { type: "SystemAssigned", principalId: ws.workspaceGuid, tenantId: ws.workspaceGuid },
    sku: { name: "Basic", tier: "Basic" },
    systemData: systemData(Date.UTC(2022, 0, 10)),
    properties: {
      workspaceId: ws.workspaceGuid,
      friendlyName: ws.friendlyName,
      description: "",
      keyVault: `${rg}/Microsoft.Keyvault/vaults/kv-${ws.name}`,
      applicationInsights: `${rg}/Microsoft.insights/components/ai-${ws.name}`,
      containerRegistry: `${rg}/Microsoft.ContainerRegistry/registries/${ws.storageAccount.replace(/store$/, "")}acr`,
      storageAccount: `${rg}/Microsoft.Storage/storageAccounts/${ws.storageAccount}`,
      // The data-plane host (v1 model management) comes from here: it points back at the sandbox.
      discoveryUrl: `${origin}/discovery/${ws.location}`,
      provisioningState: "Succeeded",
      hbiWorkspace: false,
      publicNetworkAccess: "Enabled",
      v1LegacyMode: false,
      mlFlowTrackingUri: `azureml://${ws.location}.api.azureml.ms/mlflow/v1.0${id}`,
    },
  };
}

export function endpointArmId(e: Pick<EndpointRecord, "workspace" | "name">): string {
  return `${e.workspace}/onlineendpoints/${e.name.toLowerCase()}`;
}

export function deploymentArmId(d: Pick<DeploymentRecord, "workspace" | "endpoint" | "name">): string {
  return `${d.workspace}/onlineendpoints/${d.endpoint.toLowerCase()}/deployments/${d.name.toLowerCase()}`;
}

/** The workspace id with the case the world was seeded with (records are keyed lower-case). */
export function displayWorkspaceId(ctx: SandboxContext, key: string): string {
  const ws = ctx.store.world.workspaces.find((w) => workspaceId(w).toLowerCase() === key)!;
  return workspaceId(ws);
}

export function operationStatusUrl(origin: string, op: { subscriptionId: string; location: string; id: string }, apiVersion: string): string {
  return `${origin}/subscriptions/${op.subscriptionId}/providers/${PROVIDER}/locations/${op.location}/mfeOperationsStatus/${op.id}?api-version=${apiVersion}`;
}

export function operationResultUrl(origin: string, op: { subscriptionId: string; location: string; id: string }, apiVersion: string): string {
  return `${origin}/subscriptions/${op.subscriptionId}/providers/${PROVIDER}/locations/${op.location}/mfeOperationResults/${op.id}?api-version=${apiVersion}`;
}

export function scoringBase(origin: string, e: Pick<EndpointRecord, "location" | "name">): string {
  return `${origin}/online/${e.location}/${e.name}`;
}

export function endpointBody(ctx: SandboxContext, e: EndpointRecord, origin: string, apiVersion: string): Record<string, unknown> {
  const now = ctx.clock.now();
  const op = findOperation(ctx.store.world, e.operationId);
  const state = provisioningState(op, now);
  const ready = !(op?.kind === "endpoint-create" && state !== "Succeeded");
  return {
    id: `${displayWorkspaceId(ctx, e.workspace)}/onlineEndpoints/${e.name}`,
    name: e.name,
    type: `${PROVIDER}/workspaces/onlineEndpoints`,
    location: e.location,
    kind: "Managed",
    tags: e.tags,
    identity: { type: "SystemAssigned", principalId: e.principalId, tenantId: ctx.store.world.tenants[0]!.tenantId },
    systemData: systemData(e.createdAtMs, e.lastModifiedMs),
    properties: propertiesFor(
      "onlineEndpoint",
      {
        description: e.description ?? null,
        properties: {
          "azureml.onlineendpointid": `${e.workspace}/onlineendpoints/${e.name.toLowerCase()}`,
          ...(op ? { AzureAsyncOperationUri: operationStatusUrl(origin, op, apiVersion) } : {}),
        },
        // Set at creation, never returned: callers read them with listKeys.
        keys: null,
        scoringUri: ready ? `${scoringBase(origin, e)}/score` : null,
        swaggerUri: ready ? `${scoringBase(origin, e)}/swagger.json` : null,
        authMode: e.authMode,
        provisioningState: state,
        compute: null,
        traffic: e.traffic,
        publicNetworkAccess: e.publicNetworkAccess,
      },
      apiVersion,
      { mirrorTraffic: e.mirrorTraffic ?? {} },
    ),
  };
}

export function deploymentBody(ctx: SandboxContext, d: DeploymentRecord, origin: string, apiVersion: string): Record<string, unknown> {
  const op = findOperation(ctx.store.world, d.operationId);
  return {
    id: `${displayWorkspaceId(ctx, d.workspace)}/onlineEndpoints/${d.endpoint}/deployments/${d.name}`,
    name: d.name,
    type: `${PROVIDER}/workspaces/onlineEndpoints/deployments`,
    location: d.location,
    kind: "Managed",
    tags: d.tags,
    sku: d.sku ? { name: d.sku.name, tier: d.sku.tier ?? "Standard", capacity: d.sku.capacity } : { name: "Default", tier: "Standard", capacity: 1 },
    systemData: systemData(d.createdAtMs, d.lastModifiedMs),
    properties: propertiesFor(
      "onlineDeployment",
      {
        ...d.properties,
        properties: {
          ...(d.properties.properties as object | undefined),
          ...(op ? { AzureAsyncOperationUri: operationStatusUrl(origin, op, apiVersion) } : {}),
        },
        provisioningState: provisioningState(op, ctx.clock.now()),
      },
      apiVersion,
      deploymentFill(d.properties),
    ),
  };
}

const assetBase = (ctx: SandboxContext, workspace: string, kind: string, name: string) => `${displayWorkspaceId(ctx, workspace)}/${kind}/${name}`;

export function modelVersionBody(ctx: SandboxContext, m: ModelVersionRecord): Record<string, unknown> {
  return {
    id: `${assetBase(ctx, m.workspace, "models", m.name)}/versions/${m.version}`,
    name: m.version,
    type: `${PROVIDER}/workspaces/models/versions`,
    systemData: systemData(m.createdAtMs),
    properties: {
      description: m.description ?? null,
      tags: m.tags,
      properties: m.properties,
      isArchived: false,
      isAnonymous: false,
      flavors: {},
      modelType: m.modelType,
      modelUri: m.modelUri,
      jobName: null,
    },
  };
}

export function environmentVersionBody(ctx: SandboxContext, e: EnvironmentVersionRecord): Record<string, unknown> {
  return {
    id: `${assetBase(ctx, e.workspace, "environments", e.name)}/versions/${e.version}`,
    name: e.version,
    type: `${PROVIDER}/workspaces/environments/versions`,
    systemData: systemData(e.createdAtMs),
    properties: {
      description: e.description ?? null,
      tags: e.tags,
      properties: {},
      isArchived: false,
      isAnonymous: false,
      environmentType: "UserCreated",
      image: e.image ?? null,
      condaFile: e.condaFile ?? null,
      osType: "Linux",
      build: null,
      inferenceConfig: e.inferenceConfig ?? null,
    },
  };
}

export function codeVersionBody(ctx: SandboxContext, c: CodeVersionRecord): Record<string, unknown> {
  return {
    id: `${assetBase(ctx, c.workspace, "codes", c.name)}/versions/${c.version}`,
    name: c.version,
    type: `${PROVIDER}/workspaces/codes/versions`,
    systemData: systemData(c.createdAtMs),
    properties: {
      description: c.description ?? null,
      tags: c.tags,
      properties: c.properties,
      isArchived: false,
      isAnonymous: false,
      codeUri: c.codeUri ?? null,
    },
  };
}

export function containerBody(
  ctx: SandboxContext,
  workspace: string,
  kind: "models" | "environments" | "codes",
  name: string,
  versions: { version: string; createdAtMs: number }[],
): Record<string, unknown> {
  const latest = [...versions].sort((a, b) => Number(b.version) - Number(a.version) || b.createdAtMs - a.createdAtMs)[0];
  return {
    id: assetBase(ctx, workspace, kind, name),
    name,
    type: `${PROVIDER}/workspaces/${kind}`,
    systemData: systemData(Math.min(...versions.map((v) => v.createdAtMs))),
    properties: {
      description: null,
      tags: {},
      properties: {},
      isArchived: false,
      latestVersion: latest?.version ?? null,
      nextVersion: latest ? String(Number(latest.version) + 1) : "1",
    },
  };
}

export function datastoreBody(ctx: SandboxContext, d: DatastoreRecord): Record<string, unknown> {
  return {
    id: `${displayWorkspaceId(ctx, d.workspace)}/datastores/${d.name}`,
    name: d.name,
    type: `${PROVIDER}/workspaces/datastores`,
    systemData: systemData(Date.UTC(2022, 0, 10)),
    properties: {
      description: null,
      tags: {},
      properties: {},
      isDefault: d.isDefault,
      credentials: { credentialsType: "AccountKey" },
      datastoreType: "AzureBlob",
      accountName: d.accountName,
      containerName: d.containerName,
      endpoint: "core.windows.net",
      protocol: "https",
      serviceDataAccessAuthIdentity: "None",
    },
  };
}
