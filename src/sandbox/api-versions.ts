import { HttpError } from "./http.js";
import { PROVIDER } from "./ids.js";

/**
 * The api-versions of Microsoft.MachineLearningServices the sandbox answers: every stable and preview version in
 * Azure's REST specs (specification/machinelearningservices/resource-manager/…/{stable,preview}/VERSION/mfe.json)
 * from 2022-02-01-preview, the oldest azure-ai-ml still sends, to today's. Each is answered in its own shape
 * (./version-shapes.ts); Azure serves older ones too, which no client of the sandbox sends.
 */
export const ML_API_VERSIONS = [
  "2022-02-01-preview",
  "2022-05-01",
  "2022-06-01-preview",
  "2022-10-01",
  "2022-10-01-preview",
  "2022-12-01-preview",
  "2023-02-01-preview",
  "2023-04-01",
  "2023-04-01-preview",
  "2023-06-01-preview",
  "2023-08-01-preview",
  "2023-10-01",
  "2024-01-01-preview",
  "2024-04-01",
  "2024-04-01-preview",
  "2024-07-01-preview",
  "2024-10-01",
  "2024-10-01-preview",
  "2025-01-01-preview",
  "2025-04-01",
  "2025-04-01-preview",
  "2025-06-01",
  "2025-07-01-preview",
  "2025-09-01",
  "2025-10-01-preview",
  "2025-12-01",
] as const;
/** Microsoft.Resources (subscriptions, tenants): versions Azure serves, from the REST specs. */
export const RESOURCES_API_VERSIONS = [
  "2014-04-01",
  "2015-11-01",
  "2016-06-01",
  "2018-06-01",
  "2019-06-01",
  "2019-11-01",
  "2020-01-01",
  "2021-01-01",
  "2022-01-01",
  "2022-09-01",
  "2022-12-01",
] as const;
/** Microsoft.Storage (storageAccounts, listKeys): versions Azure serves, from the REST specs (az 2.45 sends 2022-09-01). */
export const STORAGE_API_VERSIONS = [
  "2015-06-15",
  "2016-01-01",
  "2016-05-01",
  "2016-12-01",
  "2017-06-01",
  "2017-10-01",
  "2018-02-01",
  "2018-03-01-preview",
  "2018-07-01",
  "2018-11-01",
  "2019-04-01",
  "2019-06-01",
  "2020-08-01-preview",
  "2021-01-01",
  "2021-02-01",
  "2021-04-01",
  "2021-06-01",
  "2021-08-01",
  "2021-09-01",
  "2022-05-01",
  "2022-09-01",
  "2023-01-01",
  "2023-04-01",
  "2023-05-01",
  "2024-01-01",
  "2025-01-01",
  "2025-06-01",
] as const;

const STORAGE_PROVIDER = "Microsoft.Storage";

/** The namespace a path belongs to and the versions it serves. */
function namespaceOf(path: string): { provider: string; versions: readonly string[]; at: number } {
  const lower = path.toLowerCase();
  for (const [provider, versions] of [
    [PROVIDER, ML_API_VERSIONS],
    [STORAGE_PROVIDER, STORAGE_API_VERSIONS],
  ] as const) {
    const at = lower.indexOf(`/providers/${provider.toLowerCase()}/`);
    if (at >= 0) return { provider, versions, at };
  }
  return { provider: "Microsoft.Resources", versions: RESOURCES_API_VERSIONS, at: -1 };
}

/** ARM's answer to a request without an api-version, or with one the namespace does not serve (undefined: fine). */
export function apiVersionProblem(path: string, apiVersion: string | null): HttpError | undefined {
  if (apiVersion === null || apiVersion === "") {
    return new HttpError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
  }
  const { provider, versions, at } = namespaceOf(path);
  if (versions.includes(apiVersion)) return undefined;
  if (at < 0) {
    return new HttpError(400, "InvalidApiVersionParameter", `The api-version '${apiVersion}' is invalid. The supported versions are '${versions.join(",")}'.`);
  }
  // The resource type is every other segment after the namespace: workspaces/onlineEndpoints/deployments.
  const segments = path
    .slice(at + provider.length + "/providers/".length + 1)
    .split("/")
    .filter(Boolean);
  const type = segments.filter((_, i) => i % 2 === 0).join("/");
  const location = /\/locations\/([^/]+)/i.exec(path)?.[1] ?? "global";
  return new HttpError(
    400,
    "NoRegisteredProviderFound",
    `No registered resource provider found for location '${location}' and API version '${apiVersion}' for type '${type}'. The supported api-versions are '${versions.join(", ")}'.`,
  );
}
