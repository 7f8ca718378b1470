import { nameProblems } from "../../domain/names.js";
import type { SandboxContext } from "../context.js";
import { armError, badRequest, HttpError, json, type SandboxRequest } from "../http.js";
import { PROVIDER, sameName, stableGuid, stableKey } from "../ids.js";
import { apiVersionOf, findEndpoint, requireEndpoint, requireWorkspace, requireWorkspaceLocation } from "../lookup.js";
import { findOperation, operationStatus, startOperation } from "../operations.js";
import { endpointArmId, endpointBody, operationResultUrl, operationStatusUrl } from "../resources.js";
import type { Router } from "../router.js";
import type { EndpointRecord } from "../world.js";

export const ENDPOINTS = `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/${PROVIDER}/workspaces/{workspaceName}/onlineEndpoints`;
const AUTH_MODES = ["Key", "AMLToken", "AADToken"] as const;

/** Recorded on PUT/PATCH/DELETE answers; ARM gives clients 30 minutes per operation. */
const LRO_TIMEOUT = { "x-ms-async-operation-timeout": "PT30M" };

/**
 * How long a client should wait before polling a running operation: Azure's 5 s, divided by the speed. Under a
 * second it is said in milliseconds (`retry-after-ms`, which azure-core reads in Python and JavaScript), since
 * `Retry-After: 0` sends Python's pollers to their own 5 to 30 s instead.
 */
export function pollAfter(ctx: SandboxContext): Record<string, string> {
  const ms = Math.round(5000 / ctx.speed);
  return ms >= 1000 ? { "Retry-After": String(Math.round(ms / 1000)) } : { "retry-after-ms": String(ms) };
}

/** Refuses to start a second operation on a resource while one runs (ARM answers 409). */
export function requireIdle(ctx: SandboxContext, operationId: string, what: string): void {
  const op = findOperation(ctx.store.world, operationId);
  if (op && operationStatus(op, ctx.clock.now()).status === "Updating") {
    throw armError(409, "Conflict", `${what} has an operation in progress (${op.kind}); wait for it to finish and retry.`);
  }
}

interface EndpointPut {
  location?: string;
  tags?: Record<string, string>;
  kind?: string;
  identity?: { type?: string };
  properties?: {
    authMode?: string;
    description?: string;
    keys?: { primaryKey?: string; secondaryKey?: string } | null;
    traffic?: Record<string, number>;
    mirrorTraffic?: Record<string, number>;
    publicNetworkAccess?: string;
  };
}

export function registerOnlineEndpoints(router: Router, ctx: SandboxContext): void {
  const world = () => ctx.store.world;
  const body = (req: SandboxRequest, e: EndpointRecord) => endpointBody(ctx, e, req.origin, apiVersionOf(req.url));

  router
    .add("GET", ENDPOINTS, "OnlineEndpoints_List", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      return json(200, {
        value: world()
          .endpoints.filter((e) => e.workspace === ws.key)
          .map((e) => body(req, e)),
      });
    })
    .add("GET", `${ENDPOINTS}/{endpointName}`, "OnlineEndpoints_Get", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      return json(200, body(req, requireEndpoint(ctx, ws.key, req.params.endpointName!)));
    })
    .add("PUT", `${ENDPOINTS}/{endpointName}`, "OnlineEndpoints_CreateOrUpdate", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const name = req.params.endpointName!;
      const put = req.json<EndpointPut>();
      const props = put.properties ?? {};
      const problems = nameProblems(name, "endpoint");
      if (problems.length) throw badRequest(problems.join(" "), "BadArgument");
      requireWorkspaceLocation(put.location, ws.location, `online endpoint ${name}`);
      if (!AUTH_MODES.includes(props.authMode as (typeof AUTH_MODES)[number])) {
        throw badRequest(`The authMode '${props.authMode ?? ""}' is not valid: use Key, AMLToken or AADToken.`, "BadArgument");
      }
      if (props.publicNetworkAccess !== undefined && !/^(enabled|disabled)$/i.test(String(props.publicNetworkAccess))) {
        throw badRequest(`The publicNetworkAccess '${String(props.publicNetworkAccess)}' is not valid: use Enabled or Disabled.`, "BadArgument");
      }
      const access = props.publicNetworkAccess && (/^disabled$/i.test(props.publicNetworkAccess) ? "Disabled" : "Enabled");
      const location = put.location!.toLowerCase().replace(/\s+/g, "");
      const now = ctx.clock.now();
      let e = findEndpoint(ctx, ws.key, name);
      if (e) {
        requireIdle(ctx, e.operationId, `Endpoint ${name}`);
      } else {
        // Endpoint names are unique per region across every subscription and tenant.
        const clash =
          world().reservedEndpointNames.some((r) => r.location === location && sameName(r.name, name)) ||
          world().endpoints.some((other) => other.location === location && sameName(other.name, name));
        if (clash) {
          throw new HttpError(
            400,
            "UserError",
            `The specified endpoint name '${name}' is not available. Endpoint names must be unique within the region. Please choose a different name and try again.`,
          );
        }
      }
      const traffic = props.traffic ?? e?.traffic ?? {};
      validateTraffic(ctx, ws.key, name, traffic);
      const keys = props.keys;
      const isNew = !e;
      if (!e) {
        e = {
          workspace: ws.key,
          subscriptionId: ws.subscriptionId,
          name,
          location,
          authMode: props.authMode as EndpointRecord["authMode"],
          // Keys given at creation are honoured (the v1 keys carried over); otherwise new ones are made.
          keys: {
            primaryKey: keys?.primaryKey || stableKey(`ep:${ws.key}:${name}:${now}:1`),
            secondaryKey: keys?.secondaryKey || stableKey(`ep:${ws.key}:${name}:${now}:2`),
          },
          tags: put.tags ?? {},
          description: props.description,
          traffic,
          mirrorTraffic: props.mirrorTraffic ?? {},
          publicNetworkAccess: access ?? "Enabled",
          principalId: stableGuid(`principal:${ws.key}:${name}:${now}`),
          createdAtMs: now,
          lastModifiedMs: now,
          operationId: "",
        };
        world().endpoints.push(e);
      } else {
        Object.assign(e, {
          authMode: props.authMode,
          tags: put.tags ?? e.tags,
          description: props.description ?? e.description,
          traffic,
          mirrorTraffic: props.mirrorTraffic ?? e.mirrorTraffic,
          publicNetworkAccess: access ?? e.publicNetworkAccess,
          lastModifiedMs: now,
        });
        if (keys?.primaryKey) e.keys.primaryKey = keys.primaryKey;
        if (keys?.secondaryKey) e.keys.secondaryKey = keys.secondaryKey;
      }
      const last = e.trafficHistory?.at(-1)?.traffic;
      if (JSON.stringify(last ?? {}) !== JSON.stringify(traffic) && (last || Object.keys(traffic).length)) {
        (e.trafficHistory ??= []).push({ atMs: now, traffic: { ...traffic } });
      }
      const op = startOperation(ctx, {
        kind: isNew ? "endpoint-create" : "endpoint-update",
        subscriptionId: ws.subscriptionId,
        location,
        target: endpointArmId(e),
      });
      e.operationId = op.id;
      const apiVersion = apiVersionOf(req.url);
      return json(201, body(req, e), {
        "Azure-AsyncOperation": operationStatusUrl(req.origin, op, apiVersion),
        Location: `${req.origin}${req.path}?api-version=${apiVersion}`,
        ...pollAfter(ctx),
        ...LRO_TIMEOUT,
      });
    })
    .add("PATCH", `${ENDPOINTS}/{endpointName}`, "OnlineEndpoints_Update", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const e = requireEndpoint(ctx, ws.key, req.params.endpointName!);
      requireIdle(ctx, e.operationId, `Endpoint ${e.name}`);
      const patch = req.json<{ tags?: Record<string, string> }>();
      if (patch.tags) e.tags = patch.tags;
      e.lastModifiedMs = ctx.clock.now();
      const op = startOperation(ctx, { kind: "endpoint-update", subscriptionId: ws.subscriptionId, location: e.location, target: endpointArmId(e) });
      e.operationId = op.id;
      return json(202, undefined, {
        Location: operationResultUrl(req.origin, op, apiVersionOf(req.url)),
        ...pollAfter(ctx),
        ...LRO_TIMEOUT,
      });
    })
    .add("DELETE", `${ENDPOINTS}/{endpointName}`, "OnlineEndpoints_Delete", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const e = findEndpoint(ctx, ws.key, req.params.endpointName!);
      if (!e) return json(204, undefined);
      const running = findOperation(world(), e.operationId);
      if (running?.kind === "endpoint-delete") {
        const apiVersion = apiVersionOf(req.url);
        return json(202, undefined, { Location: operationResultUrl(req.origin, running, apiVersion), ...pollAfter(ctx), ...LRO_TIMEOUT });
      }
      requireIdle(ctx, e.operationId, `Endpoint ${e.name}`);
      const op = startOperation(ctx, { kind: "endpoint-delete", subscriptionId: ws.subscriptionId, location: e.location, target: endpointArmId(e) });
      e.operationId = op.id;
      const apiVersion = apiVersionOf(req.url);
      return json(202, undefined, {
        "Azure-AsyncOperation": operationStatusUrl(req.origin, op, apiVersion),
        Location: operationResultUrl(req.origin, op, apiVersion),
        ...pollAfter(ctx),
        ...LRO_TIMEOUT,
      });
    })
    .add("POST", `${ENDPOINTS}/{endpointName}/listKeys`, "OnlineEndpoints_ListKeys", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const e = requireEndpoint(ctx, ws.key, req.params.endpointName!);
      if (e.authMode !== "Key") throw badRequest(`Endpoint ${e.name} uses ${e.authMode} auth; it has no keys. Use the token API.`, "BadArgument");
      return json(200, { primaryKey: e.keys.primaryKey, secondaryKey: e.keys.secondaryKey });
    })
    .add("POST", `${ENDPOINTS}/{endpointName}/regenerateKeys`, "OnlineEndpoints_RegenerateKeys", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const e = requireEndpoint(ctx, ws.key, req.params.endpointName!);
      const r = req.json<{ keyType?: string; keyValue?: string }>();
      if (r.keyType !== "Primary" && r.keyType !== "Secondary") throw badRequest("keyType must be Primary or Secondary.", "BadArgument");
      // azure-ai-ml (every release, behind `az ml online-endpoint regenerate-keys`) sends the key it replaces as
      // keyValue, and Azure answers with a new key: only another value sets the key to it.
      const current = r.keyType === "Primary" ? e.keys.primaryKey : e.keys.secondaryKey;
      const value = r.keyValue && r.keyValue !== current ? r.keyValue : stableKey(`regen:${endpointArmId(e)}:${ctx.clock.now()}:${r.keyType}`);
      if (r.keyType === "Primary") e.keys.primaryKey = value;
      else e.keys.secondaryKey = value;
      const op = startOperation(ctx, { kind: "endpoint-update", subscriptionId: ws.subscriptionId, location: e.location, target: endpointArmId(e) });
      return json(202, undefined, { Location: operationResultUrl(req.origin, op, apiVersionOf(req.url)), ...pollAfter(ctx) });
    })
    .add("POST", `${ENDPOINTS}/{endpointName}/token`, "OnlineEndpoints_GetToken", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const e = requireEndpoint(ctx, ws.key, req.params.endpointName!);
      if (e.authMode !== "AMLToken") throw badRequest(`Endpoint ${e.name} uses ${e.authMode} auth; tokens are for AMLToken endpoints.`, "BadArgument");
      const now = Math.floor(ctx.clock.now() / 1000);
      return json(200, { accessToken: ctx.tokens.mint(), tokenType: "Bearer", expiryTimeUtc: now + 12 * 3600, refreshAfterTimeUtc: now + 6 * 3600 });
    });
}

/** Traffic must name existing deployments of this endpoint and add up to 0 or 100. */
function validateTraffic(ctx: SandboxContext, workspace: string, endpoint: string, traffic: Record<string, number>): void {
  const total = Object.values(traffic).reduce((a, b) => a + b, 0);
  if (total !== 0 && total !== 100) throw badRequest(`Traffic values must add up to 0 or 100; they add up to ${total}.`, "BadArgument");
  for (const name of Object.keys(traffic)) {
    const exists = ctx.store.world.deployments.some((d) => d.workspace === workspace && sameName(d.endpoint, endpoint) && sameName(d.name, name));
    if (!exists) throw badRequest(`Traffic names deployment '${name}', which endpoint '${endpoint}' does not have.`, "BadArgument");
  }
}
