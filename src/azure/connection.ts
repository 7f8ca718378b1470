import { USER_AGENT } from "../domain/product.js";
import type { TokenCredential } from "@azure/core-auth";
import type { Pipeline, PipelinePolicy } from "@azure/core-rest-pipeline";

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
 * With `trace`, a pipeline policy that reports each request: method, URL without its query (SAS signatures and
 * other secrets live there), status, duration and Azure's request id. Never headers or bodies.
 */
export function traceOptions(conn: AzureConnection): { additionalPolicies?: { policy: PipelinePolicy; position: "perRetry" }[] } {
  const policy = tracePolicy(conn);
  return policy ? { additionalPolicies: [{ policy, position: "perRetry" }] } : {};
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
