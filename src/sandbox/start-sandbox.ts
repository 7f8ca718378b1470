import { AsyncLocalStorage } from "node:async_hooks";
import { createServer, type Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { systemClock, type Clock } from "./clock.js";
import type { SandboxContext } from "./context.js";
import { FaultInjector, type FaultOptions } from "./faults.js";
import { apiVersionProblem } from "./api-versions.js";
import { armError, errorResponse, HttpError, newRequestId, parseJsonBody, readBody, send, type SandboxRequest, type SandboxResponse } from "./http.js";
import { settleOperations } from "./operations.js";
import { Router } from "./router.js";
import { registerArmCore } from "./routes/arm-core.js";
import { registerAssets } from "./routes/assets.js";
import { handleBlob, isBlobPath } from "./routes/blob.js";
import { routedUrl } from "./storage-host.js";
import { armTokenProblem } from "./arm-auth.js";
import { providerErrorResponse } from "./provider-errors.js";
import { isMmsError, mmsErrorBody, registerModelManagement } from "./routes/model-management.js";
import { registerOnlineDeployments } from "./routes/online-deployments.js";
import { registerOnlineEndpoints } from "./routes/online-endpoints.js";
import { registerOperations } from "./routes/operations.js";
import { registerScoring } from "./routes/scoring.js";
import { registerStorageAccounts } from "./routes/storage-accounts.js";
import { seedWorld } from "./seed-world.js";
import { ScriptContainers } from "./script-containers.js";
import { makeSandboxCertificate } from "./tls.js";
import { TokenAuthority, type SandboxCredential } from "./tokens.js";
import type { SandboxWorld } from "./world.js";
import { WorldStore } from "./world-store.js";

export interface SandboxOptions {
  /** 0 (the default) takes any free port. */
  readonly port?: number;
  /** Where the world is kept between runs; without it the world lives in memory only. */
  readonly stateDir?: string;
  /** Divides every provisioning duration: 1 is Azure's pace (a deployment takes ~10 min), 20 the demo's. */
  readonly speed?: number;
  readonly faults?: FaultOptions;
  readonly seed?: number;
  readonly clock?: Clock;
  /** Accept this bearer token too (a restarted sandbox keeps the token other processes were given). */
  readonly token?: string;
  /** The interpreter that runs scoring scripts' init() (default /usr/bin/python3). */
  readonly python?: string;
  /** Called with every answer, e.g. to check bodies against the swagger in tests. */
  readonly onResponse?: (served: ServedResponse) => void;
}

export interface ServedResponse {
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  /** The api-version the client sent (its answer is in that version's shape), or null. */
  readonly apiVersion: string | null;
  readonly status: number;
  readonly body: unknown;
}

export interface Sandbox {
  /** `https://127.0.0.1:PORT`: ARM, model management, blob and scoring all live here. */
  readonly armEndpoint: string;
  readonly port: number;
  /** PEM of the certificate to trust, per client (`tlsOptions: { ca: caPem }`). */
  readonly caPem: string;
  /** A TokenCredential-shaped credential whose tokens the sandbox accepts. */
  readonly credential: SandboxCredential;
  /** The bearer token the sandbox accepts, for other processes (curl, a second CLI). */
  readonly token: string;
  /** The live world (tests read and adjust it). */
  readonly world: SandboxWorld;
  /** The bytes of a blob (`account/container/name`), which live beside the world rather than in it. */
  readBlob(key: string): Buffer | undefined;
  /** Persists the world now (changes made through `world` directly). */
  save(): void;
  stop(): Promise<void>;
}

/** Paths that need an ARM bearer token (ARM itself, and the data-plane services that take ARM tokens). */
const ARM_AUTH = /^\/(subscriptions|tenants|providers|modelmanagement|artifact)(\/|$)/i;
/** Azure Resource Manager's own paths: every request there carries an api-version its namespace serves. */
const ARM_PATHS = /^\/(subscriptions|tenants|providers)(\/|$)/i;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? systemClock;
  // Each request is answered as of one instant, read once as it is dispatched: the operations that instant
  // finished are applied first, so an answer never reports an operation done whose result is not in the world
  // yet (a delete that "Succeeded" while its resource is still listed). Outside a request the clock reads live.
  const requestInstant = new AsyncLocalStorage<number>();
  const ctxClock: Clock = { now: () => requestInstant.getStore() ?? clock.now() };
  const store = WorldStore.open(options.stateDir, (contents) => seedWorld({ seed: options.seed, nowMs: clock.now() }, contents));
  const tokens = new TokenAuthority(store.world.tenants[0]?.tenantId ?? "00000000-0000-0000-0000-000000000000", options.token);
  const containers = new ScriptContainers(options.python);
  const ctx: SandboxContext = { store, clock: ctxClock, speed: options.speed ?? 1, tokens, containers };
  const faults = new FaultInjector(options.faults);
  const router = new Router();
  registerArmCore(router, ctx);
  registerOperations(router, ctx);
  registerOnlineEndpoints(router, ctx);
  registerOnlineDeployments(router, ctx);
  registerAssets(router, ctx);
  registerStorageAccounts(router, ctx);
  registerModelManagement(router, ctx);
  registerScoring(router, ctx);

  const cert = await makeSandboxCertificate();
  const sockets = new Set<Socket>();
  let origin = "";

  const server: Server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const requestId = newRequestId();
    void (async () => {
      const sent = new URL(req.url ?? "/", origin);
      const url = routedUrl(sent, req.headers.host);
      const method = (req.method ?? "GET").toUpperCase();
      let operation = "Unknown";
      let response: SandboxResponse;
      try {
        // Azure takes up to 5000 MiB in one Put Blob; the sandbox keeps to 256 MiB (SDKs stage blocks above their
        // single-put size: 8 MiB for aci-migrate, 64 MiB for the Python SDK), and refuses past it as Storage does.
        const body = await readBody(req, isBlobPath(ctx, url.pathname) ? 256 * 1024 * 1024 : undefined);
        const request: SandboxRequest = {
          method,
          url,
          path: url.pathname,
          sentPath: (req.url ?? "/").split("?")[0]!,
          sentQuery: (req.url ?? "").split("?").slice(1).join("?"),
          params: {},
          headers: req.headers,
          body,
          origin,
          json: <T>() => parseJsonBody<T>(body),
        };
        const blob = isBlobPath(ctx, url.pathname);
        const match = blob ? undefined : router.match(method, url.pathname);
        operation = blob ? blobOperation(method, url.searchParams.get("comp")) : match && "operation" in match ? match.operation : "Unknown";

        const fault = faults.decide(operation);
        const latency = faults.latencyMs();
        if (latency) await new Promise((r) => setTimeout(r, latency));
        if (fault.kind === "drop") {
          req.socket.destroy();
          return;
        }
        if (fault.kind === "status") {
          const code = { 409: "Conflict", 429: "TooManyRequests", 503: "ServiceUnavailable" }[fault.status] ?? "InternalServerError";
          const message =
            fault.status === 409
              ? "Injected fault: 409. There is an operation in progress on the resource; retry after it completes."
              : `Injected fault: ${fault.status}.`;
          throw new HttpError(
            fault.status,
            code,
            message,
            undefined,
            fault.status === 429 || fault.status === 503 ? { "Retry-After": String(Math.round(1 / ctx.speed)) } : undefined,
          );
        }
        if (ARM_AUTH.test(url.pathname)) {
          const problem = armTokenProblem(store.world, tokens, url.pathname, req.headers.authorization);
          if (problem) throw problem;
        }
        const versionProblem = ARM_PATHS.test(url.pathname) && match ? apiVersionProblem(url.pathname, url.searchParams.get("api-version")) : undefined;
        if (versionProblem) throw versionProblem;
        const instant = clock.now();
        if (settleOperations(store.world, instant)) store.save();
        if (blob) response = requestInstant.run(instant, () => handleBlob(request, ctx));
        // Not "404 NotFound": a client would read that as "this resource does not exist in Azure".
        else if (!match)
          throw armError(
            501,
            "SandboxNotImplemented",
            `The aci-migrate sandbox does not implement ${method} ${url.pathname}. Azure may well serve it; this is a gap of the sandbox, not Azure's answer.`,
          );
        else if (!("handler" in match)) throw armError(405, "MethodNotAllowed", `${method} is not supported here (allowed: ${match.allowed.join(", ")}).`);
        else {
          response = await requestInstant.run(instant, () => match.handler({ ...request, params: match.params }));
        }
      } catch (e) {
        if (e instanceof HttpError) {
          response = isMmsError(e)
            ? { status: e.status, body: mmsErrorBody(e), headers: e.headers }
            : (providerErrorResponse(e, url.pathname, requestId, clock.now()) ?? errorResponse(e));
        } else {
          response = errorResponse(new HttpError(500, "InternalServerError", `Sandbox bug: ${(e as Error).message}`));
          console.error(e);
        }
      }
      if (isMutation(method)) store.save();
      options.onResponse?.({
        operation,
        method,
        path: url.pathname,
        apiVersion: url.searchParams.get("api-version"),
        status: response.status,
        body: Buffer.isBuffer(response.body) ? undefined : response.body,
      });
      send(res, response, requestId);
    })();
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `https://127.0.0.1:${port}`;

  return {
    armEndpoint: origin,
    port,
    caPem: cert.certPem,
    credential: tokens.credential(),
    token: tokens.primaryToken,
    world: store.world,
    readBlob: (key) => {
      const record = store.world.blobs[key];
      return record ? store.contents.get(record.sha256) : undefined;
    },
    save: () => store.flush(),
    stop: () =>
      new Promise<void>((resolve) => {
        store.flush();
        containers.close();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

function isMutation(method: string): boolean {
  return method === "PUT" || method === "DELETE" || method === "POST" || method === "PATCH";
}

/** A Blob service request's operation, as faults and the served log name it: a lease or a metadata write is not a put of content. */
function blobOperation(method: string, comp: string | null): string {
  if (method === "PUT" && comp === "lease") return "Blob_Lease";
  if (method === "PUT" && comp === "metadata") return "Blob_SetMetadata";
  return `Blob_${method === "PUT" ? "Put" : method === "GET" ? "Get" : method === "HEAD" ? "Head" : "Delete"}`;
}
