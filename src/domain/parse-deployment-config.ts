import { FieldReader } from "./field-reader.js";
import { readAciSettings } from "./parse-aci-settings.js";
import { parseV1Environment, requireAciCompute } from "./parse-v1-environment.js";
import type { V1Environment, V1Service } from "./v1-service.js";

/** What a v1 `inferenceconfig.json`/`.yml` says about the scoring code and its environment. */
export interface InferenceConfig {
  readonly source: string;
  readonly entryScript?: string;
  readonly sourceDirectory?: string;
  /** An inline environment definition, or one built from the legacy `condaFile`/`baseImage` keys. */
  readonly environment?: V1Environment;
  /** The legacy `condaFile` path, relative to the inference config; the caller reads it. */
  readonly condaFile?: string;
}

/**
 * Parses `inferenceconfig.json`/`.yml`: the current shape (`entryScript`, `sourceDirectory`, `environment`
 * as an inline definition or a registered `name:version`) and the legacy one (`runtime`, `condaFile`, `baseImage`).
 */
export function parseInferenceConfig(doc: unknown, source: string): InferenceConfig {
  const r = FieldReader.root(doc, source);
  const entryScript = r.string("entryScript");
  const sourceDirectory = r.string("sourceDirectory");
  const envRaw = r.raw("environment");
  let environment: V1Environment | undefined;
  if (typeof envRaw === "string") {
    // A registered environment: "name", "name:version" or "azureml:name:version".
    const [name, version] = envRaw.replace(/^azureml:/, "").split(":");
    environment = { name, version, userManagedDependencies: false, hasBaseDockerfile: false, environmentVariables: {} };
  } else if (envRaw !== undefined && envRaw !== null) {
    const env = r.object("environment");
    if (env) environment = parseV1Environment(env).environment;
  }
  const condaFile = r.string("condaFile");
  const baseImage = r.string("baseImage");
  if (!environment && (condaFile || baseImage)) {
    environment = { baseImage, userManagedDependencies: false, hasBaseDockerfile: Boolean(r.string("extraDockerfileSteps")), environmentVariables: {} };
  }
  return { source, entryScript, sourceDirectory, environment, condaFile };
}

/**
 * Parses a v1 CLI `deploymentconfig.json`/`.yml` (the keys of `AciWebservice.deploy_configuration`), taking the
 * SDK v1 defaults for whatever is unset. The file does not name the service or its models; the caller passes
 * the name it knows, and `modelsKnown` stays false.
 */
export function parseDeploymentConfig(
  doc: unknown,
  source: string,
  options: { serviceName?: string; inference?: InferenceConfig; condaDependencies?: unknown } = {},
): V1Service {
  const r = FieldReader.root(doc, source);
  const name = options.serviceName ?? r.string("name") ?? "aci-service";
  requireAciCompute(r.string("computeType") ?? "ACI", r, "computeType", name);

  let environment = options.inference?.environment;
  if (environment && options.condaDependencies !== undefined) {
    environment = { ...environment, condaDependencies: options.condaDependencies };
  }

  return {
    origin: "deployment-config",
    source,
    name,
    state: undefined,
    tags: r.stringMap("tags") ?? {},
    ...readAciSettings(r),
    keysPinned: Boolean(r.string("primaryKey") || r.string("secondaryKey")),
    models: [],
    modelsKnown: false,
    environment,
    entryScript: options.inference?.entryScript,
    sourceDirectory: options.inference?.sourceDirectory,
    image: undefined,
    scoringUri: undefined,
  };
}
