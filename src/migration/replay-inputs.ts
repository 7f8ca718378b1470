import { collectedRequests, requestFromRows } from "../domain/collected-inputs.js";
import { UserFixableError } from "../domain/errors.js";
import type { V1Service } from "../domain/v1-service.js";
import type { MigrationPort, WorkspaceTarget } from "./port.js";
import type { ReplaySide } from "./replay.js";
import { sampleRequest } from "./sample-request.js";

/** Reads requests a person gave (a JSON Lines file, a folder of bodies): the front ends' business, handed to the engine. */
export type ReadRequests = (path: string, limit?: number) => Promise<{ readonly requests: readonly unknown[]; readonly source: string }>;

/** Requests collected in the v1 service's production traffic fewer than this are not a replay worth its name. */
export const DEFAULT_COLLECTED_LIMIT = 1000;

/**
 * The requests v1 model data collection kept for a service, rebuilt as the bodies its callers sent (shaped as
 * its sample request: the swagger's, else `{"data": [[…]]}`); undefined when it collected none.
 */
export async function collectedReplayRequests(
  port: MigrationPort,
  ws: WorkspaceTarget,
  doc: Record<string, unknown>,
  service: V1Service,
  limit = DEFAULT_COLLECTED_LIMIT,
): Promise<{ requests: unknown[]; source: string } | undefined> {
  const files = await port.collectedInputs(ws, service.name);
  const collected = collectedRequests(files, limit);
  if (!collected.requests.length) return undefined;
  const template = (await sampleRequest({ port, doc })).body;
  return {
    requests: collected.requests.map((rows) => requestFromRows(template, collected.featureNames, rows)),
    source: `the inputs the service's data collection kept (modeldata, ${collected.files.length} file${collected.files.length === 1 ? "" : "s"}, the newest ${collected.requests.length} requests)`,
  };
}

/**
 * Both sides of a replay with their keys (registered in `secrets` as they arrive): the ACI service at its scoring
 * URI, and the new deployment at its endpoint's, pinned by name so no traffic moves.
 */
export async function replaySides(
  port: MigrationPort,
  ws: WorkspaceTarget,
  o: { doc: Record<string, unknown>; service: V1Service; endpoint: string; deployment: string; secrets: Set<string>; at?: WorkspaceTarget },
): Promise<{ old: ReplaySide; new: ReplaySide }> {
  const oldUri = typeof o.doc.scoringUri === "string" ? o.doc.scoringUri : undefined;
  if (!oldUri) {
    throw new UserFixableError(`The ACI service ${o.service.name} has no scoring URI, so there is nothing to compare with.`, {
      why: "Its container is not running (its state is not Healthy).",
      nextStep: "Compare once the service answers again, or rely on the smoke test.",
      kind: "state",
    });
  }
  const at = o.at ?? ws; // where the endpoint is, when not in the service's workspace
  const endpoint = await port.getEndpoint(at, o.endpoint);
  if (!endpoint?.scoringUri) {
    throw new UserFixableError(`Endpoint ${o.endpoint} does not exist (or has no scoring URI yet).`, {
      nextStep: "Migrate the service first, or name the endpoint with --endpoint.",
      kind: "state",
    });
  }
  if (endpoint.authMode !== "Key") {
    throw new UserFixableError(`Endpoint ${o.endpoint} authenticates with ${endpoint.authMode}; a replay calls it with its key.`, {
      nextStep: "Compare an endpoint with key authentication (the migration keeps the v1 keys by default).",
      kind: "state",
    });
  }
  const [oldKeys, newKeys] = await Promise.all([
    o.service.authEnabled ? port.listV1ServiceKeys(ws, o.service.name) : undefined,
    port.listEndpointKeys(at, o.endpoint),
  ]);
  for (const k of [oldKeys?.primaryKey, oldKeys?.secondaryKey, newKeys.primaryKey, newKeys.secondaryKey]) if (k) o.secrets.add(k);
  return {
    old: { uri: oldUri, ...(oldKeys ? { key: oldKeys.primaryKey } : {}) },
    new: { uri: endpoint.scoringUri, key: newKeys.primaryKey, deployment: o.deployment },
  };
}
