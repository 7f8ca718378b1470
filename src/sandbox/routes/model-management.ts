import { createHmac } from "node:crypto";
import type { SandboxContext } from "../context.js";
import { HttpError, json, type SandboxRequest } from "../http.js";
import { PROVIDER, sameName, stableKey } from "../ids.js";
import { requireWorkspace } from "../lookup.js";
import type { Router } from "../router.js";
import type { ServiceRecord, WorkspaceRecord } from "../world.js";

const MMS = `/modelmanagement/v1.0/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/${PROVIDER}/workspaces/{workspace}`;
const ARTIFACTS = `/artifact/v2.0/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/${PROVIDER}/workspaces/{workspace}/artifacts`;
/** Services per page of the list; the batch workspace has more than two pages. */
export const SERVICES_PAGE_SIZE = 10;

/** Model management's error shape (`ModelErrorResponse`). */
function mmsError(status: number, code: string, message: string): HttpError {
  const e = new HttpError(status, code, message);
  (e as HttpError & { mms: true }).mms = true;
  return e;
}

export function isMmsError(e: HttpError): boolean {
  return (e as HttpError & { mms?: true }).mms === true;
}

export function mmsErrorBody(e: HttpError): Record<string, unknown> {
  return { code: e.code, statusCode: e.status, message: e.message, details: [] };
}

/** A SAS-like signature over a blob path, checked by the blob routes. */
export function signBlobPath(accountKey: string, path: string, expiresMs: number): string {
  return createHmac("sha256", accountKey).update(`${path}\n${expiresMs}`).digest("base64url");
}

export function registerModelManagement(router: Router, ctx: SandboxContext): void {
  const world = () => ctx.store.world;

  function requireService(req: SandboxRequest): { ws: WorkspaceRecord & { key: string }; svc: ServiceRecord } {
    const ws = requireWorkspace(ctx, req.params);
    const svc = world().services.find((s) => s.workspace === ws.key && sameName(s.name, req.params.id!));
    if (!svc) throw mmsError(404, "NotFound", `No service with name ${req.params.id} found in workspace ${ws.name}.`);
    return { ws, svc };
  }

  /** The service as MMS returns it, with URLs on the sandbox's current address. */
  function serviceBody(req: SandboxRequest, ws: WorkspaceRecord, svc: ServiceRecord, expand: boolean): Record<string, unknown> {
    const base = `${req.origin}/aci/${ws.workspaceGuid}/${svc.name}`;
    const doc: Record<string, unknown> = { ...svc.doc, scoringUri: `${base}/score`, swaggerUri: `${base}/swagger.json` };
    if (svc.doc.computeType === "ACI") doc.publicFqdn = `${svc.name}.${ws.location}.azurecontainer.sandbox`;
    if (!expand) {
      delete doc.models;
      delete doc.environmentImageRequest;
    }
    return doc;
  }

  router
    .add("GET", `${MMS}/services`, "Services_ListQuery", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const q = req.url.searchParams;
      const computeType = q.get("computeType");
      const name = q.get("name");
      const modelName = q.get("modelName");
      const expand = q.get("expand") === "true";
      const all = world()
        .services.filter((s) => s.workspace === ws.key)
        .filter((s) => !computeType || sameName(String(s.doc.computeType), computeType))
        .filter((s) => !name || sameName(s.name, name))
        .filter((s) => !modelName || ((s.doc.models as { name: string }[] | undefined) ?? []).some((m) => sameName(m.name, modelName)))
        .filter((s) => matchesAll(s.doc.kvTags, q.get("tags")) && matchesAll(s.doc.properties, q.get("properties")))
        .filter((s) => !q.get("imageName") || sameName(String((s.doc.imageDetails as { name?: string } | undefined)?.name ?? ""), q.get("imageName")!))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const count = Math.min(Number(q.get("count") ?? SERVICES_PAGE_SIZE) || SERVICES_PAGE_SIZE, SERVICES_PAGE_SIZE);
      const skip = Number(q.get("$skipToken") ?? "0") || 0;
      const page = all.slice(skip, skip + count);
      let nextLink: string | undefined;
      if (skip + count < all.length) {
        // Absolute, as MMS writes it; "$skipToken" stays unencoded like Azure's own links.
        const rest = [...q.entries()].filter(([k]) => k !== "$skipToken").map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
        nextLink = `${req.origin}${req.path}?${[...rest, `$skipToken=${skip + count}`].join("&")}`;
      }
      return json(200, { value: page.map((s) => serviceBody(req, ws, s, expand)), ...(nextLink ? { nextLink } : {}) });
    })
    .add("GET", `${MMS}/services/{id}`, "Services_QueryById", (req) => {
      const { ws, svc } = requireService(req);
      return json(200, serviceBody(req, ws, svc, req.url.searchParams.get("expand") === "true"));
    })
    .add("POST", `${MMS}/services/{id}/listkeys`, "Services_ListServiceKeys", (req) => {
      const { svc } = requireService(req);
      if (!svc.keys) throw mmsError(400, "BadRequest", `Service ${svc.name} does not have authentication enabled, so it has no keys.`);
      return json(200, { primaryKey: svc.keys.primaryKey, secondaryKey: svc.keys.secondaryKey });
    })
    .add("POST", `${MMS}/services/{id}/regenerateKeys`, "Services_RegenerateServiceKeys", (req) => {
      const { svc } = requireService(req);
      if (!svc.keys) throw mmsError(400, "BadRequest", `Service ${svc.name} does not have authentication enabled.`);
      const r = req.json<{ keyType?: string; keyValue?: string }>();
      if (r.keyType !== "Primary" && r.keyType !== "Secondary") throw mmsError(400, "BadRequest", "keyType must be Primary or Secondary.");
      const value = r.keyValue || stableKey(`svc-regen:${svc.name}:${ctx.clock.now()}`);
      if (r.keyType === "Primary") svc.keys.primaryKey = value;
      else svc.keys.secondaryKey = value;
      return json(200, { primaryKey: svc.keys.primaryKey, secondaryKey: svc.keys.secondaryKey });
    })
    .add("POST", `${MMS}/services/{id}/token`, "Services_GetServiceToken", (req) => {
      const { svc } = requireService(req);
      throw mmsError(400, "BadRequest", `Service ${svc.name} runs on ${String(svc.doc.computeType)}, which does not support token authentication.`);
    })
    .add("DELETE", `${MMS}/services/{id}`, "Services_Delete", (req) => {
      const { svc } = requireService(req);
      world().services.splice(world().services.indexOf(svc), 1);
      return json(200, undefined);
    })
    .add("GET", `${MMS}/services/{id}/logs`, "Services_GetLogs", (req) => {
      const { svc } = requireService(req);
      const tail = Number(req.url.searchParams.get("tail") ?? "0") || undefined;
      const lines = tail ? svc.logs.slice(-tail) : svc.logs;
      return json(200, { content: lines.join("\n") });
    })
    // Where the v1 artifact service keeps a service's source snapshot: a short-lived signed URL to the blob.
    .add("GET", `${ARTIFACTS}/contentinfo/{origin}/{container}/{path}`, "Artifacts_GetContentInfo", (req) => {
      const ws = requireWorkspace(ctx, req.params);
      const { origin, container, path } = req.params as { origin: string; container: string; path: string };
      const svc = world().services.find(
        (s) => s.workspace === ws.key && s.snapshot && s.snapshot.container === container && s.snapshot.path === path && sameName(s.snapshot.origin, origin),
      );
      if (!svc?.snapshot) throw mmsError(404, "NotFound", `No artifact ${origin}/${container}/${path} in workspace ${ws.name}.`);
      const store = world().datastores.find((d) => d.workspace === ws.key && d.accountName === svc.snapshot!.account)!;
      const blobPath = `/${svc.snapshot.account}/${svc.snapshot.blobContainer}/${svc.snapshot.blobName}`;
      const expires = ctx.clock.now() + 3600_000;
      const contentUri = `${req.origin}${blobPath}?se=${expires}&sig=${signBlobPath(store.accountKey, blobPath, expires)}`;
      return json(200, { origin, container, path, contentUri });
    });
}

/**
 * The list filters `tags` and `properties`: "a comma separated string of keys and/or key=value"; a service
 * matches when it has every key named (with that value where one is given).
 */
function matchesAll(map: unknown, filter: string | null): boolean {
  if (!filter) return true;
  const have = (map ?? {}) as Record<string, string>;
  return filter
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean)
    .every((t) => {
      const at = t.indexOf("=");
      return at < 0 ? t in have : have[t.slice(0, at)] === t.slice(at + 1);
    });
}
