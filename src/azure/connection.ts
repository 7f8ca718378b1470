import { USER_AGENT } from "../domain/product.js";
import type { TokenCredential } from "@azure/core-auth";
import { Agent } from "node:https";
import { agentPolicy, type Pipeline, type PipelinePolicy } from "@azure/core-rest-pipeline";
import { perConnection } from "./per-connection.js";

/** The scope every management-plane client asks for (Azure, and the sandbox, which checks it). */
export const ARM_SCOPE = "https://management.azure.com/.default";

/**
 * Where and as whom to talk to Azure. Against real Azure `caPem` is absent; against the sandbox it is the
 * sandbox's certificate, trusted by each client this connection makes and by nothing else in the process.
 */
export interface AzureConnection {
  readonly armEndpoint: string;
  /** The token scope for ARM in this cloud (default: public Azure's). */
  readonly scope?: string;
  readonly credential: TokenCredential;
  readonly caPem?: string;
  /**
   * The Blob endpoint of a storage account. Azure: `https://{account}.blob.{suffix}`; the sandbox serves
   * accounts path-style on its own address (`https://127.0.0.1:PORT/{account}`), as Azurite does.
   */
  readonly storageAccountUrl?: (account: string, endpointSuffix: string) => string;
  /** First delay between retries of a failed request (the SDK default is about a second). */
  readonly retryDelayMs?: number;
  /** How often to poll long-running operations (Azure: 5 s; a sped-up sandbox: less). */
  readonly pollIntervalMs?: number;
  /** How often a held service lease (60 s) is renewed (Azure: every 20 s; a sped-up sandbox: as much faster). */
  readonly leaseRenewMs?: number;
  /**
   * Whether a managed endpoint name is held in a region. Azure answers through DNS (the scoring host
   * `{name}.{region}.inference.ml.azure.com` resolves once the name is taken); the sandbox through a probe.
   */
  readonly endpointNameTaken?: (location: string, name: string) => Promise<boolean>;
  /** `--verbose`: one line per HTTP request (method, URL without its query, status, request id). */
  readonly trace?: (line: string) => void;
}

export function storageAccountUrl(conn: AzureConnection, account: string, endpointSuffix = "core.windows.net"): string {
  return conn.storageAccountUrl ? conn.storageAccountUrl(account, endpointSuffix) : `https://${account}.blob.${endpointSuffix}`;
}

/** Options every SDK client gets: the endpoint, the ARM scope, and the per-client trust of a sandbox. */
export function clientOptions(conn: AzureConnection) {
  return {
    endpoint: conn.armEndpoint,
    $host: conn.armEndpoint,
    credentialScopes: [conn.scope ?? ARM_SCOPE],
    ...(conn.caPem ? { tlsOptions: { ca: conn.caPem } } : {}),
    ...retryOptions(conn),
    ...traceOptions(conn),
    userAgentOptions: { userAgentPrefix: USER_AGENT },
  };
}

/** The pipeline retry settings (core-rest-pipeline's shape) for this connection. */
export function retryOptions(conn: AzureConnection): { retryOptions?: { maxRetries: number; retryDelayInMs: number; maxRetryDelayInMs: number } } {
  return conn.retryDelayMs ? { retryOptions: { maxRetries: 4, retryDelayInMs: conn.retryDelayMs, maxRetryDelayInMs: conn.retryDelayMs * 20 } } : {};
}

/**
 * Azure's `Retry-After` is honoured, but never below a floor that doubles with each try of the same request
 * (the connection's first retry delay, then twice that, …): a service that answers `Retry-After: 0` would
 * otherwise be asked again five times within milliseconds and the command give up before the service had a
 * moment to recover. Placed inside the retry policy, it adjusts what that policy reads (`retry-after-ms` first);
 * the retry policy sends the same request object on each try, which is how tries are counted.
 */
export function retryAfterFloorPolicy(floorMs: number, statuses: readonly number[] = [429, 503]): PipelinePolicy {
  const tries = new WeakMap<object, number>();
  return {
    name: "aciMigrateRetryAfterFloor",
    async sendRequest(request, next) {
      const response = await next(request);
      if (!statuses.includes(response.status)) return response;
      const n = (tries.get(request) ?? 0) + 1;
      tries.set(request, n);
      const ms = Number(response.headers.get("retry-after-ms") ?? response.headers.get("x-ms-retry-after-ms") ?? Number.NaN);
      const seconds = Number(response.headers.get("retry-after") ?? Number.NaN);
      const asked = Number.isFinite(ms) ? ms : Number.isFinite(seconds) ? seconds * 1000 : 0;
      response.headers.set("retry-after-ms", String(Math.max(asked, floorMs * 2 ** (n - 1))));
      return response;
    },
  };
}

/**
 * One gate per connection that every request passes (each try, retries included). When Azure answers 429, the
 * gate closes for the `Retry-After` it asked (after the floor above): ARM's throttle counts every request of the
 * caller, so the whole pool slows down instead of each request spending its own retries until one workspace
 * fails. Requests already in flight finish; new ones wait.
 */
export function throttleGatePolicy(conn: AzureConnection): PipelinePolicy {
  const gate = perConnection(conn, "throttle gate", () => ({ openAt: 0 }));
  return {
    name: "aciMigrateThrottleGate",
    async sendRequest(request, next) {
      for (let wait = gate.openAt - Date.now(); wait > 0; wait = gate.openAt - Date.now()) await new Promise((r) => setTimeout(r, wait));
      const response = await next(request);
      if (response.status === 429) {
        const ms = Number(response.headers.get("retry-after-ms") ?? Number.NaN);
        gate.openAt = Math.max(gate.openAt, Date.now() + (Number.isFinite(ms) ? ms : retryFloorMs(conn)));
      }
      return response;
    },
  };
}

/** The first retry delay of this connection (the SDK default is about a second). */
export function retryFloorMs(conn: AzureConnection): number {
  return conn.retryDelayMs ?? 1000;
}

/**
 * Every client of a connection sends through one keep-alive agent, so a socket opened (and its TLS handshake
 * paid) for one call serves the next, whichever client makes it; at most SOCKETS_PER_HOST are open to a host,
 * and further requests queue for a free socket instead of each paying a handshake of its own.
 */
const SOCKETS_PER_HOST = 32;
export function sharedAgentPolicy(conn: AzureConnection): PipelinePolicy {
  return agentPolicy(sharedAgent(conn));
}

/** The connection's one keep-alive agent (see sharedAgentPolicy); Storage clients take it as an option. */
export function sharedAgent(conn: AzureConnection): Agent {
  return perConnection(conn, "agent", () => new Agent({ keepAlive: true, maxSockets: SOCKETS_PER_HOST, ...(conn.caPem ? { ca: conn.caPem } : {}) }));
}

/** Adds the retry-after floor (and `--verbose`'s trace) to a pipeline made with createPipelineFromOptions. */
export function withPolicies<P extends Pipeline>(pipeline: P, conn: AzureConnection): P {
  pipeline.addPolicy(sharedAgentPolicy(conn));
  pipeline.addPolicy(throttleGatePolicy(conn), { afterPhase: "Retry" });
  pipeline.addPolicy(retryAfterFloorPolicy(retryFloorMs(conn)), { afterPhase: "Retry" });
  return withTrace(pipeline, conn);
}

/**
 * With `trace`, a pipeline policy that reports each request: method, URL without its query (SAS signatures and
 * other secrets live there), status, duration and Azure's request id. Never headers or bodies.
 */
export function traceOptions(conn: AzureConnection): { additionalPolicies: { policy: PipelinePolicy; position: "perCall" | "perRetry" }[] } {
  const policy = tracePolicy(conn);
  return {
    additionalPolicies: [
      { policy: sharedAgentPolicy(conn), position: "perCall" as const },
      { policy: throttleGatePolicy(conn), position: "perRetry" },
      { policy: retryAfterFloorPolicy(retryFloorMs(conn)), position: "perRetry" },
      ...(policy ? [{ policy, position: "perRetry" as const }] : []),
    ],
  };
}

/** Adds the trace policy to a pipeline made with createPipelineFromOptions (which has no additionalPolicies). */
export function withTrace<P extends Pipeline>(pipeline: P, conn: AzureConnection): P {
  const policy = tracePolicy(conn);
  if (policy) pipeline.addPolicy(policy, { afterPhase: "Retry" });
  return pipeline;
}

function tracePolicy(conn: AzureConnection): PipelinePolicy | undefined {
  const trace = conn.trace;
  if (!trace) return undefined;
  return {
    name: "aciMigrateTrace",
    async sendRequest(request, next) {
      // Cancelled before it left (e.g. the SDK poller's first read, let go once a PUT answered): never sent.
      if (request.abortSignal?.aborted) return next(request);
      const started = Date.now();
      const url = request.url.split("?")[0];
      try {
        const response = await next(request);
        const id = response.headers.get("x-ms-request-id") ?? response.headers.get("x-ms-client-request-id") ?? "-";
        trace(`${request.method} ${url} → ${response.status} (${Date.now() - started} ms, request id ${id})`);
        return response;
      } catch (e) {
        trace(`${request.method} ${url} → ${(e as { code?: string }).code ?? "failed"} (${Date.now() - started} ms)`);
        throw e;
      }
    },
  };
}
