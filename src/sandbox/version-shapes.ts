/**
 * What changes between the api-versions the sandbox serves, for the bodies it answers with. Most changes are
 * additive (a client ignores a field its version lacks), so only fields a version must not carry, or must carry,
 * are listed. Sources: the REST specs' mfe.json per version, as generated into azure-ai-ml 1.4's models
 * (_restclient/v2022_02_01_preview, v2022_05_01, v2022_10_01, v2022_10_01_preview).
 */
type Resource = "onlineEndpoint" | "onlineDeployment";

interface VersionedField {
  readonly resource: Resource;
  /** A key of the resource's `properties`. */
  readonly field: string;
  /** Whether an api-version's shape has the field. */
  readonly has: (apiVersion: string) => boolean;
}

const isPreview = (v: string) => v.endsWith("-preview");
const date = (v: string) => v.slice(0, 10);

export const VERSIONED_FIELDS: readonly VersionedField[] = [
  // Mirrored traffic came with 2022-10-01-preview; stable versions carry it from 2023-04-01.
  { resource: "onlineEndpoint", field: "mirrorTraffic", has: (v) => (isPreview(v) ? date(v) >= "2022-10-01" : date(v) >= "2023-04-01") },
  // 2022-05-01 predates egressPublicNetworkAccess (2022-02-01-preview had it, beside privateNetworkConnection).
  { resource: "onlineDeployment", field: "egressPublicNetworkAccess", has: (v) => v !== "2022-05-01" },
  // 2022-02-01-preview's name for it, inverted; no later version has it.
  { resource: "onlineDeployment", field: "privateNetworkConnection", has: (v) => v === "2022-02-01-preview" },
];

/**
 * A deployment's properties as the sandbox keeps them (the newest shape) from a PUT of any version:
 * 2022-02-01-preview's privateNetworkConnection becomes egressPublicNetworkAccess.
 */
export function keptDeploymentProperties(sent: Record<string, unknown>): Record<string, unknown> {
  const { privateNetworkConnection, ...kept } = sent;
  if (typeof privateNetworkConnection === "boolean" && kept.egressPublicNetworkAccess === undefined) {
    kept.egressPublicNetworkAccess = privateNetworkConnection ? "Disabled" : "Enabled";
  }
  return kept;
}

/** What a version's answer carries for fields the sandbox keeps under another name. */
export function deploymentFill(kept: Record<string, unknown>): Record<string, unknown> {
  return { privateNetworkConnection: kept.egressPublicNetworkAccess === "Disabled" };
}

/** The `properties` of a resource as an api-version shows them: fields it lacks taken out, fields it has filled. */
export function propertiesFor(
  resource: Resource,
  properties: Record<string, unknown>,
  apiVersion: string,
  fill: Record<string, unknown> = {},
): Record<string, unknown> {
  const shaped = { ...properties };
  for (const f of VERSIONED_FIELDS) {
    if (f.resource !== resource) continue;
    if (!f.has(apiVersion)) delete shaped[f.field];
    else if (!(f.field in shaped) && f.field in fill) shaped[f.field] = fill[f.field];
  }
  return shaped;
}
