/**
 * The v1 ACI web service as aci-migrate understands it, whichever file or API it came from.
 * Never holds a key, certificate or token: only whether one was set.
 */
export type ServiceState = "Healthy" | "Unhealthy" | "Failed" | "Transitioning";

export interface V1ModelRef {
  readonly name: string;
  readonly version?: string;
  /** `name:version`, as v1 writes model ids. */
  readonly id: string;
}

export interface V1Environment {
  readonly name?: string;
  readonly version?: string;
  /** The conda specification as v1 stored it (`channels`, `dependencies` with a nested `pip` list). */
  readonly condaDependencies?: unknown;
  /** True when the user's own image provides Python (v1 `user_managed_dependencies`): nothing to inspect. */
  readonly userManagedDependencies: boolean;
  readonly baseImage?: string;
  readonly hasBaseDockerfile: boolean;
  /** The user's variables; v1's own `AZUREML_*` entry-script variables are taken out into `entryScript`. */
  readonly environmentVariables: Readonly<Record<string, string>>;
}

export interface V1Service {
  /** Where the definition came from: the v1 REST/CLI JSON, or the v1 CLI files kept in a repository. */
  readonly origin: "service-json" | "deployment-config";
  /** File name (or "sandbox"/URL) that the definition was read from, for messages. */
  readonly source: string;
  readonly name: string;
  readonly description?: string;
  readonly location?: string;
  /** Unknown when read from deployment files: nothing was asked of Azure. */
  readonly state?: ServiceState;
  readonly tags: Readonly<Record<string, string>>;
  readonly cpu: number;
  readonly memoryGb: number;
  readonly gpu: number;
  readonly authEnabled: boolean;
  /** The deployment config pins `primaryKey`/`secondaryKey` (values are never kept). */
  readonly keysPinned: boolean;
  readonly tls: { readonly enabled: boolean; readonly customCertificate: boolean };
  readonly cname?: string;
  readonly dnsNameLabel?: string;
  readonly appInsightsEnabled: boolean;
  readonly dataCollection: { readonly storageEnabled: boolean; readonly eventHubEnabled: boolean };
  /** Customer-managed key settings; present only when configured. */
  readonly encryption?: { readonly vaultBaseUrl?: string; readonly keyName?: string; readonly keyVersion?: string };
  readonly vnet?: { readonly vnetName?: string; readonly subnetName?: string };
  readonly models: readonly V1ModelRef[];
  /** False when the source cannot say which models are deployed (deployment config files). */
  readonly modelsKnown: boolean;
  readonly environment?: V1Environment;
  readonly entryScript?: string;
  readonly sourceDirectory?: string;
  /** Set for services deployed from a prebuilt image (`deploy_from_image`) rather than an environment. */
  readonly image?: { readonly id: string; readonly location?: string };
  readonly scoringUri?: string;
}

/** SDK v1 defaults for `AciWebservice.deploy_configuration()` when a value is not given. */
export const SDK_V1_ACI_DEFAULTS = {
  cpu: 0.1,
  memoryGb: 0.5,
  authEnabled: false,
  sslEnabled: false,
  appInsightsEnabled: false,
} as const;

/** v1 injected these to locate the scoring script; they become `code_configuration` in v2. */
export const V1_ENTRY_SCRIPT_VARIABLES = ["AZUREML_SOURCE_DIRECTORY", "AZUREML_ENTRY_SCRIPT"] as const;

export function isImageBased(service: V1Service): boolean {
  return service.image !== undefined && service.environment === undefined;
}
