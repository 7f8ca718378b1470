import { isoDurationMs } from "../../domain/iso-duration.js";
import { findSku } from "../../domain/sku-catalog.js";
import { nameProblems } from "../../domain/names.js";
import type { SandboxContext } from "../context.js";
import { deploymentLogs, type ContainerType } from "../deployment-logs.js";
import { armError, badRequest, HttpError, json, type SandboxRequest } from "../http.js";
import { sameName } from "../ids.js";
import { apiVersionOf, requireEndpoint, requireWorkspace, requireWorkspaceLocation } from "../lookup.js";
import { findOperation, provisioningState, startOperation } from "../operations.js";
import { requireQuota } from "../quota.js";
import { deploymentArmId, deploymentBody, operationResultUrl, operationStatusUrl } from "../resources.js";
import type { Router } from "../router.js";
import { condaFilePackageNames } from "../../domain/parse-v1-environment.js";
import { startDeploymentContainer } from "../inference-container.js";
import { deploymentContainerKey, gatherContainer, type GatheredContainer } from "../deployment-container.js";
import type { DeploymentRecord, SandboxWorld } from "../world.js";
import { keptDeploymentProperties } from "../version-shapes.js";
import { blob as makeBlob } from "../blob-contents.js";
import { buildLogPath, failedImageBuild } from "../image-build.js";
import { ENDPOINTS, requireIdle, pollAfter } from "./online-endpoints.js";

const DEPLOYMENTS = `${ENDPOINTS}/{endpointName}/deployments`;
const LRO_TIMEOUT = { "x-ms-async-operation-timeout": "PT30M" };
/** Packages that start the HTTP server in managed inference images; an environment without one crashes. */
const INFERENCE_SERVER = /(^|[\s"'-])(azureml-defaults|azureml-inference-server-http)\b/m;

interface DeploymentPut {
  location?: string;
  tags?: Record<string, string>;
  sku?: { name?: string; capacity?: number; tier?: string };
  properties?: Record<string, unknown> & {
    endpointComputeType?: string;
    instanceType?: string;
    model?: string;
    environmentId?: string;
    codeConfiguration?: { codeId?: string; scoringScript?: string };
    requestSettings?: { requestTimeout?: string };
  };
}

function findDeployment(world: SandboxWorld, workspace: string, endpoint: string, name: string): DeploymentRecord | undefined {
  return world.deployments.find((d) => d.workspace === workspace && sameName(d.endpoint, endpoint) && sameName(d.name, name));
}

function requireDeployment(ctx: SandboxContext, workspace: string, endpoint: string, name: string): DeploymentRecord {
  const d = findDeployment(ctx.store.world, workspace, endpoint, name);
  if (!d)
    throw new HttpError(404, "NotFound", "The specified resource was not found.", [
      { code: "InferencingClientCallFailed", message: '{{"title":"Not Found"}}' },
    ]);
  return d;
}

/** The asset named by an ARM id (`…/models/{name}/versions/{version}`) in this workspace, or a 400 naming it. */
function requireAsset<T extends { workspace: string; name: string; version: string }>(
  list: T[],
  workspace: string,
  armId: unknown,
  kind: string,
  field: string,
): T {
  const m = new RegExp(`/${kind}/([^/]+)/versions/([^/]+)$`, "i").exec(String(armId ?? ""));
  // An id that names another workspace is refused as Azure refuses it, even when a version of that name is here too.
  const named = /\/workspaces\/([^/]+)\//i.exec(String(armId ?? ""))?.[1];
  const here = named === undefined || sameName(named, workspace.split("/").pop()!);
  const found = m && here && list.find((a) => a.workspace === workspace && sameName(a.name, m[1]!) && a.version === m[2]);
  if (!found) throw badRequest(`properties.${field}: '${String(armId ?? "")}' is not a ${kind.replace(/s$/, "")} version in this workspace.`, "BadArgument");
  return found;
}

type ContainerStart = Pick<DeploymentRecord, "crash" | "init" | "download" | "modelFingerprint">;

/**
 * What the deployment's container does when it starts: the storage initializer downloads the model (and the
 * code) from their storage URIs; then the inference server starts (it cannot without the server package, named
 * by `serverMissing`) and runs the scoring script's init() in Python, in a container kept for its scoring.
 */
async function startContainer(ctx: SandboxContext, key: string, gathered: GatheredContainer, serverMissing: string | undefined): Promise<ContainerStart> {
  if ("crash" in gathered) return gathered;
  const { files, download, modelFingerprint } = gathered;
  if (serverMissing) return { crash: serverMissing, download, modelFingerprint };
  const result = await startDeploymentContainer(ctx, key, files);
  return {
    modelFingerprint,
    download,
    init: { outcome: result.kind, lines: result.lines },
    crash: result.kind === "crashed" ? `User's init function failed: ${result.reason}` : undefined,
  };
}

/** The environment's image built (see image-build.ts); when it fails, its log is written where Azure keeps it. */
function imageBuildFailure(
  ctx: SandboxContext,
  ws: { storageAccount: string },
  env: { name: string; version: string; condaFile?: string },
): { message: string } | undefined {
  const start = ctx.clock.now();
  const log = failedImageBuild(env, (ms) => new Date(start + ms).toISOString());
  if (!log) return undefined;
  const path = buildLogPath(env);
  ctx.store.world.blobs[`${ws.storageAccount}/azureml/${path}`] = makeBlob(ctx.store.contents, Buffer.from(`${log}\n`), "text/plain", start);
  return {
    message: `Image build failed for environment ${env.name}:${env.version}. Check Environment Build Log in ML Studio Workspace or Workspace storage for potential failures. You might be able to find the build log under the storage account '${ws.storageAccount}' in the container 'azureml' at the path '${path}'.`,
  };
}

export function registerOnlineDeployments(router: Router, ctx: SandboxContext): void {
  const world = () => ctx.store.world;
  const body = (req: SandboxRequest, d: DeploymentRecord) => deploymentBody(ctx, d, req.origin, apiVersionOf(req.url));

  router
    .add("GET", DEPLOYMENTS, "OnlineDeployments_List", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const e = requireEndpoint(ctx, ws.key, req.params.endpointName!);
      return json(200, {
        value: world()
          .deployments.filter((d) => d.workspace === ws.key && sameName(d.endpoint, e.name))
          .map((d) => body(req, d)),
      });
    })
    .add("GET", `${DEPLOYMENTS}/{deploymentName}`, "OnlineDeployments_Get", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      requireEndpoint(ctx, ws.key, req.params.endpointName!);
      return json(200, body(req, requireDeployment(ctx, ws.key, req.params.endpointName!, req.params.deploymentName!)));
    })
    .add("PUT", `${DEPLOYMENTS}/{deploymentName}`, "OnlineDeployments_CreateOrUpdate", async (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const e = requireEndpoint(ctx, ws.key, req.params.endpointName!);
      const name = req.params.deploymentName!;
      const now = ctx.clock.now();
      const endpointState = provisioningState(findOperation(world(), e.operationId), now);
      if (endpointState === "Creating" || endpointState === "Deleting" || endpointState === "Failed") {
        throw armError(409, "Conflict", `Endpoint ${e.name} is ${endpointState}; deployments can be created once it has Succeeded.`);
      }
      const put = req.json<DeploymentPut>();
      const p = put.properties ?? {};
      requireWorkspaceLocation(put.location, ws.location, `online deployment ${name}`);
      const problems = nameProblems(name, "deployment");
      if (problems.length) throw badRequest(problems.join(" "), "BadArgument");
      if (p.endpointComputeType !== "Managed")
        throw badRequest("properties.endpointComputeType must be 'Managed' for a managed online deployment.", "BadArgument");
      const sku = findSku(String(p.instanceType ?? ""));
      if (!sku) throw badRequest(`properties.instanceType: '${p.instanceType ?? ""}' is not a VM size supported by managed online endpoints.`, "BadArgument");
      const capacity = put.sku?.capacity ?? 1;
      if (!Number.isInteger(capacity) || capacity < 1 || capacity > 50) throw badRequest(`sku.capacity must be 1-50 (got ${capacity}).`, "BadArgument");
      const timeout = p.requestSettings?.requestTimeout;
      if (timeout !== undefined) {
        const ms = isoDurationMs(timeout);
        if (ms === undefined || ms <= 0 || ms > 180_000)
          throw badRequest(`properties.requestSettings.requestTimeout '${timeout}' must be a duration up to PT3M.`, "BadArgument");
      }
      const model = requireAsset(world().models, ws.key, p.model, "models", "model");
      const env = requireAsset(world().environments, ws.key, p.environmentId, "environments", "environmentId");
      const code = p.codeConfiguration?.codeId
        ? requireAsset(world().codes, ws.key, p.codeConfiguration.codeId, "codes", "codeConfiguration.codeId")
        : undefined;
      // The container's start, decided now from what it would load: the files, the server, then init().
      const serverMissing =
        env.condaFile !== undefined && !INFERENCE_SERVER.test(env.condaFile)
          ? `Environment ${env.name}:${env.version} lists neither azureml-defaults nor azureml-inference-server-http; azmlinfsrv cannot start.`
          : undefined;
      const run = {
        scoringScript: p.codeConfiguration?.scoringScript ?? "score.py",
        environmentVariables: (p.environmentVariables ?? {}) as Record<string, string>,
        environmentPackages: condaFilePackageNames(env.condaFile),
      };
      // The image is built from the environment first: a build that fails leaves its log in the workspace's
      // storage, and the deployment fails with Azure's ImageBuildFailure naming where that log is.
      const buildFailure = imageBuildFailure(ctx, ws, env);
      const container: ContainerStart = buildFailure
        ? { crash: buildFailure.message, modelFingerprint: "" }
        : await startContainer(ctx, deploymentContainerKey(ws.key, e.name, name, p), gatherContainer(ctx, ws.key, model, code, run), serverMissing);
      const crash = container.crash;

      let d = findDeployment(world(), ws.key, e.name, name);
      if (d) requireIdle(ctx, d.operationId, `Deployment ${name}`);
      // An existing deployment keeps its VM size (Azure/AML-Kubernetes#247: "deployment update can't change
      // instance type"); the wording is inferred, the refusal is Azure's.
      const current = d ? String(d.properties.instanceType ?? "") : "";
      if (d && current.toLowerCase() !== sku.name.toLowerCase()) {
        throw badRequest(
          `The instance type of deployment ${name} cannot be changed from ${current} to ${sku.name}. Create a new deployment with instance type ${sku.name}, move the traffic to it, and delete ${name}.`,
          "BadArgument",
        );
      }
      requireQuota(world(), ws.subscriptionId, e.location, sku, capacity, d ? `${ws.key}/${e.name}/${name}` : undefined);

      const properties: Record<string, unknown> = {
        description: null,
        environmentVariables: {},
        appInsightsEnabled: false,
        scaleSettings: { scaleType: "Default" },
        livenessProbe: { failureThreshold: 30, successThreshold: 1, timeout: "PT2S", period: "PT10S", initialDelay: "PT10S" },
        readinessProbe: { failureThreshold: 30, successThreshold: 1, timeout: "PT2S", period: "PT10S", initialDelay: "PT10S" },
        egressPublicNetworkAccess: "Enabled",
        modelMountPath: null,
        ...keptDeploymentProperties(p),
        requestSettings: { maxQueueWait: "PT0S", requestTimeout: "PT5S", maxConcurrentRequestsPerInstance: 1, ...p.requestSettings },
        instanceType: sku.name,
      };
      const isNew = !d;
      if (!d) {
        d = {
          workspace: ws.key,
          subscriptionId: ws.subscriptionId,
          endpoint: e.name,
          name,
          location: e.location,
          properties,
          tags: put.tags ?? {},
          createdAtMs: now,
          lastModifiedMs: now,
          operationId: "",
          modelFingerprint: "",
        };
        world().deployments.push(d);
      }
      Object.assign(d, {
        properties,
        tags: put.tags ?? d.tags,
        sku: { name: put.sku?.name ?? "Default", tier: put.sku?.tier ?? "Standard", capacity },
        lastModifiedMs: now,
        crash: undefined,
        init: undefined,
        download: undefined,
        ...container,
      });
      const op = startOperation(ctx, {
        kind: isNew ? "deployment-create" : "deployment-update",
        subscriptionId: ws.subscriptionId,
        location: e.location,
        target: deploymentArmId(d),
        outcome: crash ? "Failed" : "Succeeded",
        error: buildFailure
          ? { code: "ImageBuildFailure", message: buildFailure.message }
          : crash
            ? {
                code: "ResourceNotReady",
                message:
                  "ResourceNotReady: User container has crashed or terminated: Liveness probe failed: HTTP probe failed with statuscode: 502. Please see troubleshooting guide, available here: https://aka.ms/oe-tsg#error-resourcenotready",
              }
            : undefined,
      });
      d.operationId = op.id;
      const apiVersion = apiVersionOf(req.url);
      return json(201, body(req, d), {
        "Azure-AsyncOperation": operationStatusUrl(req.origin, op, apiVersion),
        Location: `${req.origin}${req.path}?api-version=${apiVersion}`,
        ...pollAfter(ctx),
        ...LRO_TIMEOUT,
      });
    })
    .add("PATCH", `${DEPLOYMENTS}/{deploymentName}`, "OnlineDeployments_Update", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const e = requireEndpoint(ctx, ws.key, req.params.endpointName!);
      const d = requireDeployment(ctx, ws.key, e.name, req.params.deploymentName!);
      requireIdle(ctx, d.operationId, `Deployment ${d.name}`);
      const patch = req.json<{ tags?: Record<string, string>; sku?: { capacity?: number } }>();
      if (patch.tags) d.tags = patch.tags;
      if (patch.sku?.capacity !== undefined) {
        if (!Number.isInteger(patch.sku.capacity) || patch.sku.capacity < 1 || patch.sku.capacity > 50)
          throw badRequest("sku.capacity must be 1-50.", "BadArgument");
        // Scaling out needs the quota a PUT would: the same synchronous 400.
        const sku = findSku(String(d.properties.instanceType ?? ""));
        if (sku) requireQuota(world(), ws.subscriptionId, e.location, sku, patch.sku.capacity, `${ws.key}/${e.name}/${d.name}`);
        d.sku = { name: d.sku?.name ?? "Default", tier: d.sku?.tier, capacity: patch.sku.capacity };
      }
      d.lastModifiedMs = ctx.clock.now();
      const op = startOperation(ctx, {
        kind: "deployment-update",
        subscriptionId: ws.subscriptionId,
        location: e.location,
        target: deploymentArmId(d),
        outcome: d.crash ? "Failed" : "Succeeded",
      });
      d.operationId = op.id;
      return json(202, undefined, {
        Location: operationResultUrl(req.origin, op, apiVersionOf(req.url)),
        ...pollAfter(ctx),
        ...LRO_TIMEOUT,
      });
    })
    .add("DELETE", `${DEPLOYMENTS}/{deploymentName}`, "OnlineDeployments_Delete", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const e = requireEndpoint(ctx, ws.key, req.params.endpointName!);
      const d = findDeployment(world(), ws.key, e.name, req.params.deploymentName!);
      if (!d) return json(204, undefined);
      if ((e.traffic[d.name] ?? 0) > 0)
        throw badRequest(`Deployment ${d.name} still receives ${e.traffic[d.name]}% of the traffic; move it first.`, "BadArgument");
      const running = findOperation(world(), d.operationId);
      const apiVersion = apiVersionOf(req.url);
      if (running?.kind !== "deployment-delete") {
        requireIdle(ctx, d.operationId, `Deployment ${d.name}`);
        d.operationId = startOperation(ctx, {
          kind: "deployment-delete",
          subscriptionId: ws.subscriptionId,
          location: e.location,
          target: deploymentArmId(d),
        }).id;
      }
      const op = findOperation(world(), d.operationId)!;
      return json(202, undefined, { Location: operationResultUrl(req.origin, op, apiVersion), ...pollAfter(ctx), ...LRO_TIMEOUT });
    })
    .add("POST", `${DEPLOYMENTS}/{deploymentName}/getLogs`, "OnlineDeployments_GetLogs", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const e = requireEndpoint(ctx, ws.key, req.params.endpointName!);
      const d = requireDeployment(ctx, ws.key, e.name, req.params.deploymentName!);
      const r = req.json<{ containerType?: string; tail?: number }>();
      const container = (r.containerType ?? "InferenceServer") as ContainerType;
      if (container !== "InferenceServer" && container !== "StorageInitializer")
        throw badRequest("containerType must be StorageInitializer or InferenceServer.", "BadArgument");
      const op = findOperation(world(), d.operationId);
      return json(200, { content: deploymentLogs(d, op, container, ctx.clock.now(), r.tail) });
    })
    .add("GET", `${DEPLOYMENTS}/{deploymentName}/skus`, "OnlineDeployments_ListSkus", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const e = requireEndpoint(ctx, ws.key, req.params.endpointName!);
      const d = requireDeployment(ctx, ws.key, e.name, req.params.deploymentName!);
      return json(200, {
        value: [
          {
            resourceType: "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments",
            sku: { name: d.sku?.name ?? "Default", tier: "Standard" },
            capacity: { minimum: 1, maximum: 50, default: 1, scaleType: "Manual" },
          },
        ],
      });
    });
}
