import { USER_AGENT } from "../domain/product.js";
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type HttpMethods,
  type Pipeline,
} from "@azure/core-rest-pipeline";
import { AzureRequestError } from "./azure-error.js";
import { ARM_SCOPE, retryOptions, withPolicies, type AzureConnection } from "./connection.js";
import { forgetPerConnection, perConnection } from "./per-connection.js";

/** The v1 model-management API version azureml-core used (its swagger is 2019-09-30; the service ignores it). */
const MMS_API_VERSION = "2018-11-19";

export interface WorkspaceCoordinates {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly workspace: string;
}

export interface ServiceKeys {
  readonly primaryKey: string;
  readonly secondaryKey: string;
}

/**
 * The v1 services API (`/modelmanagement/v1.0/…/services`) and the artifact lookup for source snapshots,
 * over the standard Azure pipeline (retries, throttling, bearer token). The host comes from the workspace's
 * discovery document, as azureml-core found it.
 */
export class ModelManagementClient {
  private readonly pipeline: Pipeline;
  private readonly http: HttpClient = createDefaultHttpClient();

  constructor(
    private readonly conn: AzureConnection,
    /** The data-plane host, e.g. `https://eastus.api.azureml.ms` (the discovery document's `api`). */
    readonly apiHost: string,
  ) {
    this.pipeline = createPipelineFromOptions({
      ...(conn.caPem ? { tlsOptions: { ca: conn.caPem } } : {}),
      userAgentOptions: { userAgentPrefix: USER_AGENT },
      retryOptions: { maxRetries: 4, retryDelayInMs: conn.retryDelayMs ?? 800, maxRetryDelayInMs: (conn.retryDelayMs ?? 800) * 20 },
    });
    withPolicies(this.pipeline, conn);
    this.pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: conn.credential, scopes: conn.scope ?? ARM_SCOPE }));
  }

  /**
   * The client of the workspace's model-management host, found through its discovery document. Every workspace
   * of a region shares one discovery URL (`https://{region}.api.azureml.ms/discovery`), so the document is read
   * once per region and connection, and the client (with its pipeline and its TLS sessions) is shared too. A
   * lookup that fails is forgotten, so the next call asks again.
   */
  static forWorkspace(conn: AzureConnection, discoveryUrl: string): Promise<ModelManagementClient> {
    const key = `discovery ${discoveryUrl}`;
    const found = perConnection(conn, key, async () => {
      const probe = new ModelManagementClient(conn, "");
      const doc = (await probe.send("GET", discoveryUrl, "Discovery_Get", undefined, false)) as { api?: string };
      if (!doc.api) throw new AzureRequestError(`The discovery document at ${discoveryUrl} has no "api" host.`, 200, undefined, undefined, "Discovery_Get");
      return new ModelManagementClient(conn, doc.api.replace(/\/$/, ""));
    });
    found.catch(() => forgetPerConnection(conn, key));
    return found;
  }

  private base(ws: WorkspaceCoordinates): string {
    return `${this.apiHost}/modelmanagement/v1.0/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.workspace}`;
  }

  /** Every service of the workspace (following `nextLink` pages), optionally of one compute type. */
  async *listServices(ws: WorkspaceCoordinates, options: { computeType?: "ACI" | "AKS"; expand?: boolean } = {}): AsyncGenerator<Record<string, unknown>> {
    const query = new URLSearchParams({ "api-version": MMS_API_VERSION });
    if (options.computeType) query.set("computeType", options.computeType);
    if (options.expand) query.set("expand", "true");
    let url: string | undefined = `${this.base(ws)}/services?${query}`;
    while (url) {
      const page = (await this.send("GET", url, "Services_ListQuery")) as { value?: Record<string, unknown>[]; nextLink?: string };
      for (const s of page.value ?? []) yield s;
      url = page.nextLink || undefined;
    }
  }

  async getService(ws: WorkspaceCoordinates, name: string): Promise<Record<string, unknown>> {
    return (await this.send(
      "GET",
      `${this.base(ws)}/services/${encodeURIComponent(name)}?api-version=${MMS_API_VERSION}&expand=true`,
      "Services_QueryById",
    )) as Record<string, unknown>;
  }

  /** The service's keys: read to carry them over, held in memory only. */
  async listServiceKeys(ws: WorkspaceCoordinates, name: string): Promise<ServiceKeys> {
    return (await this.send(
      "POST",
      `${this.base(ws)}/services/${encodeURIComponent(name)}/listkeys?api-version=${MMS_API_VERSION}`,
      "Services_ListServiceKeys",
    )) as ServiceKeys;
  }

  async deleteService(ws: WorkspaceCoordinates, name: string): Promise<void> {
    await this.send("DELETE", `${this.base(ws)}/services/${encodeURIComponent(name)}?api-version=${MMS_API_VERSION}`, "Services_Delete");
  }

  async getServiceLogs(ws: WorkspaceCoordinates, name: string, tail?: number): Promise<string> {
    const q = tail ? `&tail=${tail}` : "";
    const r = (await this.send("GET", `${this.base(ws)}/services/${encodeURIComponent(name)}/logs?api-version=${MMS_API_VERSION}${q}`, "Services_GetLogs")) as {
      content?: string;
    };
    return r.content ?? "";
  }

  /** A short-lived download URL of an artifact (`aml://artifact/{origin}/{container}/{path}`). */
  async getArtifactContentUri(ws: WorkspaceCoordinates, artifactUrl: string): Promise<string> {
    const m = /^aml:\/\/artifact\/([^/]+)\/([^/]+)\/(.+)$/.exec(artifactUrl);
    if (!m) throw new AzureRequestError(`"${artifactUrl}" is not an aml://artifact/ URL.`, undefined, "BadArtifactUrl", undefined, "Artifacts_GetContentInfo");
    const url = `${this.apiHost}/artifact/v2.0/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.workspace}/artifacts/contentinfo/${m[1]}/${m[2]}/${m[3]}`;
    const r = (await this.send("GET", url, "Artifacts_GetContentInfo")) as { contentUri?: string };
    if (!r.contentUri) throw new AzureRequestError(`No download URL for ${artifactUrl}.`, 200, undefined, undefined, "Artifacts_GetContentInfo");
    return r.contentUri;
  }

  private async send(method: HttpMethods, url: string, operation: string, body?: unknown, authenticated = true): Promise<unknown> {
    const request = createPipelineRequest({
      url,
      method,
      headers: createHttpHeaders({ accept: "application/json", ...(body !== undefined ? { "content-type": "application/json" } : {}) }),
      body: body !== undefined ? JSON.stringify(body) : undefined,
      // Without a bearer policy for the discovery call (it is anonymous), use a bare pipeline.
      ...(this.conn.caPem ? { tlsSettings: { ca: this.conn.caPem } } : {}),
    });
    const response = authenticated
      ? await this.pipeline.sendRequest(this.http, request)
      : await createPipelineFromOptions({ ...(this.conn.caPem ? { tlsOptions: { ca: this.conn.caPem } } : {}), ...retryOptions(this.conn) }).sendRequest(
          this.http,
          request,
        );
    const text = response.bodyAsText ?? "";
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (response.status >= 400) {
      const err = (parsed as { code?: string; message?: string; error?: { code?: string; message?: string } } | undefined) ?? {};
      const code = err.error?.code ?? err.code;
      const message = err.error?.message ?? err.message ?? (text.slice(0, 200) || `HTTP ${response.status}`);
      throw new AzureRequestError(message, response.status, code, response.headers.get("x-ms-request-id") ?? undefined, operation);
    }
    return parsed ?? {};
  }
}
