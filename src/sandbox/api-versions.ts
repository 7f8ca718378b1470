import { HttpError } from "./http.js";
import { PROVIDER } from "./ids.js";

/**
 * The api-versions the sandbox answers, per namespace. It serves Microsoft.MachineLearningServices bodies in the
 * 2022-10-01 shape (what @azure/arm-machinelearning 2.1.1 and azure-mgmt-machinelearningservices speak), so it
 * says so instead of answering another version's clients with bodies they would misread.
 */
export const ML_API_VERSIONS = ["2022-10-01"] as const;
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

/** ARM's answer to a request without an api-version, or with one the namespace does not serve (undefined: fine). */
export function apiVersionProblem(path: string, apiVersion: string | null): HttpError | undefined {
  if (apiVersion === null || apiVersion === "") {
    return new HttpError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
  }
  const providerAt = path.toLowerCase().indexOf(`/providers/${PROVIDER.toLowerCase()}/`);
  if (providerAt < 0) {
    if ((RESOURCES_API_VERSIONS as readonly string[]).includes(apiVersion)) return undefined;
    return new HttpError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${apiVersion}' is invalid. The supported versions are '${RESOURCES_API_VERSIONS.join(",")}'.`,
    );
  }
  if ((ML_API_VERSIONS as readonly string[]).includes(apiVersion)) return undefined;
  // The resource type is every other segment after the namespace: workspaces/onlineEndpoints/deployments.
  const segments = path
    .slice(providerAt + PROVIDER.length + "/providers/".length + 1)
    .split("/")
    .filter(Boolean);
  const type = segments.filter((_, i) => i % 2 === 0).join("/");
  const location = /\/locations\/([^/]+)/i.exec(path)?.[1] ?? "global";
  return new HttpError(
    400,
    "NoRegisteredProviderFound",
    `No registered resource provider found for location '${location}' and API version '${apiVersion}' for type '${type}'. The supported api-versions are '${ML_API_VERSIONS.join(", ")}' (the versions the aci-migrate sandbox serves).`,
  );
}
