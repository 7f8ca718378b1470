import { combinedModelPath } from "./model-layout.js";
import { condaPackageNames } from "./parse-v1-environment.js";
import { quotaNeed } from "./quota.js";
import type { VmSku } from "./sku-types.js";
import { isImageBased, type V1Service } from "./v1-service.js";
import type { PublicNetworkAccess } from "./network-access.js";

export type Severity = "blocker" | "warning" | "info";
import type { AuthMode } from "./auth-modes.js";
export type { AuthMode };

export interface Finding {
  readonly id: string;
  readonly severity: Severity;
  /** One sentence: what happens to this service. */
  readonly message: string;
  /** One sentence: what to do about it. */
  readonly remedy: string;
  readonly docUrl: string;
}

/** The decisions a plan has made that findings comment on. */
export interface PlanChoices {
  readonly authMode: AuthMode;
  readonly sku: VmSku | null;
  readonly skuSource: "table" | "fallback" | "override" | "none";
  /** What Microsoft's table (or the fallback) would have chosen, for messages about overrides. */
  readonly suggestedSku: VmSku | null;
  /** The cheaper size the plan offers beside the table's (the same fit rule), when there is one. */
  readonly cheaperFit?: string;
  readonly instanceCount: number;
  readonly requestTimeoutMs: number;
  readonly modelOverride?: string;
  /** The user named a registered environment: findings about the service's own environment no longer apply. */
  readonly environmentOverride?: string;
  /** Whether the v1 keys go onto the new endpoint (when both use keys). */
  readonly keepKeys?: boolean;
  /** "Disabled": the endpoint takes scoring requests only through the workspace's private endpoint. */
  readonly publicNetworkAccess?: PublicNetworkAccess;
  readonly endpointName: string;
  readonly deploymentName: string;
  /** The deployment of this service's earlier migration that the plan's new one replaces (another VM size). */
  readonly replaces?: ReplacedDeployment;
}

export interface ReplacedDeployment {
  readonly deploymentName: string;
  readonly instanceType: string;
}

/**
 * What the workspace's region says about a plan, where it is known (the review asks Azure before anything is
 * created): endpoint names taken in the region (with a free one to suggest) and the free vCPUs by VM family.
 */
export interface RegionFacts {
  readonly location: string;
  /** The workspace the endpoint goes into when it is not the service's own (--target-workspace). */
  readonly into?: string;
  readonly takenEndpointNames?: readonly string[];
  /** A free endpoint name, to offer in place of a taken one. */
  readonly freeEndpointName?: string;
  readonly freeQuota?: Readonly<Record<string, number>>;
  /** The deployments of the plan's endpoint when it is this service's earlier migration (a migration again). */
  readonly ourDeployments?: readonly { readonly name: string; readonly instanceType: string }[];
}

export interface FindingContext {
  readonly service: V1Service;
  readonly choices: PlanChoices;
  readonly region?: RegionFacts;
}

/** A part of the plan the person can change in the review. */
export type PlanPartToChange = "endpointName" | "sku" | "instanceCount";

/** A compatibility rule: when it fires and what it says. */
export interface FindingRule {
  readonly id: string;
  readonly severity: Severity;
  /**
   * A blocker Azure would refuse outright: acknowledging it changes nothing, only a change of one of these parts of
   * the plan does (the review leads straight to them).
   */
  readonly clearedBy?: readonly PlanPartToChange[];
  readonly docUrl: string;
  fires(ctx: FindingContext): boolean;
  describe(ctx: FindingContext): { message: string; remedy: string };
}

const LEARN = "https://learn.microsoft.com/azure/machine-learning";
/** Managed online endpoints' request timeout when none is set. */
export const MANAGED_DEFAULT_TIMEOUT_MS = 5000;
export const PRODUCTION_MIN_INSTANCES = 3;
/** Packages that provide the HTTP server v2's inference images start; without one the container exits. */
export const INFERENCE_SERVER_PACKAGES = ["azureml-defaults", "azureml-inference-server-http"];

const rule = (r: FindingRule) => r;

const noAuthBecomesKey = rule({
  id: "auth-none-to-key",
  severity: "warning",
  docUrl: `${LEARN}/concept-endpoints-online-auth`,
  fires: ({ service }) => !service.authEnabled,
  describe: ({ service, choices }) => ({
    message: `"${service.name}" accepts requests without credentials; managed online endpoints always authenticate, so the new endpoint uses ${authLabel(choices.authMode)}.`,
    remedy:
      choices.authMode === "Key"
        ? "Give each caller the endpoint key and have it send `Authorization: Bearer <key>` before you switch it to the new URL."
        : "Have each caller fetch a token and send `Authorization: Bearer <token>` before you switch it to the new URL.",
  }),
});

const keysCarried = rule({
  id: "keys-carried",
  severity: "info",
  docUrl: `${LEARN}/concept-endpoints-online-auth`,
  fires: ({ service, choices }) => service.authEnabled && choices.authMode === "Key" && choices.keepKeys !== false,
  describe: ({ service }) => ({
    message: `The primary and secondary keys of "${service.name}" are set on the new endpoint, so callers change only the URL.`,
    remedy: "Nothing to do; regenerate the keys after the old service is retired if they were ever shared widely.",
  }),
});

const keysDropped = rule({
  id: "auth-mode-changed",
  severity: "warning",
  docUrl: `${LEARN}/concept-endpoints-online-auth`,
  fires: ({ service, choices }) => service.authEnabled && (choices.authMode !== "Key" || choices.keepKeys === false),
  describe: ({ service, choices }) => ({
    message:
      choices.authMode === "Key"
        ? `"${service.name}" uses keys, but the plan gives the new endpoint new keys, so callers' keys stop working on the new URL.`
        : `"${service.name}" uses keys, but the plan asks for ${authLabel(choices.authMode)}, so the v1 keys are not carried over and callers' keys stop working on the new URL.`,
    remedy:
      choices.authMode === "Key"
        ? "Keep the v1 keys, or hand every caller the new key before switching."
        : "Keep key auth (--auth-mode Key) or update every caller to request tokens before switching.",
  }),
});

const tlsCertificateDropped = rule({
  id: "tls-certificate-dropped",
  severity: "warning",
  docUrl: `${LEARN}/concept-endpoints-online`,
  fires: ({ service }) => service.tls.enabled && service.tls.customCertificate,
  describe: ({ service }) => ({
    message: `"${service.name}" serves TLS with your own certificate; managed endpoints always serve HTTPS with Microsoft's certificate for *.inference.ml.azure.com, so yours is not used.`,
    remedy:
      "Callers that pin your certificate must trust the new endpoint's; put Azure API Management or Front Door in front if you need your own certificate.",
  }),
});

const customDnsUnsupported = rule({
  id: "custom-dns-unsupported",
  severity: "warning",
  docUrl: `${LEARN}/concept-endpoints-online`,
  fires: ({ service }) => Boolean(service.cname || service.dnsNameLabel),
  describe: ({ service }) => ({
    message: `"${service.name}" is reached through ${service.cname ? `the custom name ${service.cname}` : `the DNS label ${service.dnsNameLabel}`}; managed endpoints only answer on <endpoint>.<region>.inference.ml.azure.com.`,
    remedy: "Point callers at the new scoring URI, or keep your name by fronting the endpoint with Azure API Management or Front Door.",
  }),
});

const cmkUnsupported = rule({
  id: "cmk-encryption-unsupported",
  severity: "blocker",
  docUrl: `${LEARN}/concept-customer-managed-keys`,
  fires: ({ service }) => service.encryption !== undefined,
  describe: ({ service, region }) => ({
    message: `"${service.name}" encrypts its container with your key${service.encryption?.keyName ? ` (${service.encryption.keyName})` : ""}; managed endpoints cannot take a per-service key, only the workspace's customer-managed key${region?.into ? `: the endpoint gets the keys of ${region.into}, where it goes` : ""}.`,
    remedy: region?.into
      ? `If ${region.into} was created with your customer-managed key (or Microsoft-managed keys are acceptable), acknowledge it (--acknowledge cmk-encryption-unsupported).`
      : "Migrate into a workspace created with your customer-managed key (--target-workspace NAME), or acknowledge that Microsoft-managed keys are acceptable (--acknowledge cmk-encryption-unsupported).",
  }),
});

const vnetRedo = rule({
  id: "vnet-redo",
  severity: "blocker",
  docUrl: `${LEARN}/how-to-secure-online-endpoint`,
  fires: ({ service }) => service.vnet !== undefined,
  describe: ({ service, choices, region }) => {
    const vnet = [service.vnet?.vnetName, service.vnet?.subnetName].filter(Boolean).join("/") || "you configured";
    const workspace = region?.into ? `${region.into} (where the endpoint goes)` : "the workspace (or one that has them: --target-workspace NAME)";
    return choices.publicNetworkAccess === "Disabled"
      ? {
          message: `"${service.name}" runs inside the virtual network ${vnet}; the endpoint is planned without public network access (callers reach it through the workspace's private endpoint), but its deployment does not join ${vnet}.`,
          remedy: `Give ${workspace} a private endpoint and managed network isolation (outbound to what the script calls), then acknowledge (--acknowledge vnet-redo).`,
        }
      : {
          message: `"${service.name}" runs inside the virtual network ${vnet}; a managed endpoint does not join it and is public unless its public network access is turned off.`,
          remedy: `Turn public network access off for the endpoint (--public-network-access disabled), set up managed network isolation in ${workspace}, then acknowledge (--acknowledge vnet-redo).`,
        };
  },
});

const publicAccessOff = rule({
  id: "public-network-access-off",
  severity: "info",
  docUrl: `${LEARN}/concept-secure-online-endpoint`,
  fires: ({ choices }) => choices.publicNetworkAccess === "Disabled",
  describe: ({ choices }) => ({
    message: `${choices.endpointName} takes scoring requests only through the workspace's private endpoint: the smoke test and the replay reach it only from a machine inside that network.`,
    remedy: "Run the migration from inside the network; from outside, the tests are skipped and say so, and the old service is not offered for retirement.",
  }),
});

const notHealthy = rule({
  id: "service-not-healthy",
  severity: "blocker",
  docUrl: `${LEARN}/v1/how-to-troubleshoot-deployment`,
  fires: ({ service }) => service.state !== undefined && service.state !== "Healthy",
  describe: ({ service }) => ({
    message: `"${service.name}" is ${service.state}, so there is no working service to compare against and its configuration may not run either.`,
    remedy:
      "Read the service's logs (az ml service get-logs) and fix it, or acknowledge that you are migrating it as it is (--acknowledge service-not-healthy).",
  }),
});

const imageBased = rule({
  id: "image-based-service",
  severity: "blocker",
  docUrl: `${LEARN}/how-to-deploy-custom-container`,
  fires: ({ service, choices }) => isImageBased(service) && !choices.environmentOverride,
  describe: ({ service }) => ({
    message: `"${service.name}" was deployed from a prebuilt image (${service.image?.location ?? service.image?.id}) with no environment in the registry, so there is no conda environment to reuse.`,
    remedy:
      "Register an environment built from that image (az ml environment create --image …) with the inference routes set, then acknowledge (--acknowledge image-based-service).",
  }),
});

const multipleModels = rule({
  id: "multiple-models",
  severity: "warning",
  docUrl: `${LEARN}/concept-online-deployment-model-specification`,
  fires: ({ service, choices }) => service.models.length > 1 && !choices.modelOverride,
  describe: ({ service }) => ({
    message: `"${service.name}" deploys ${service.models.length} models (${service.models.map((m) => m.id).join(", ")}); a managed deployment takes one, so aci-migrate copies their files into one folder model. On the new deployment ${service.models.map((m) => `${m.id} is at $AZUREML_MODEL_DIR/${combinedModelPath(m.name, m.version ?? "1")}`).join(", ")} (v1 had $AZUREML_MODEL_DIR/<name>/<version>).`,
    remedy:
      "Load each model from os.path.join(os.getenv('AZUREML_MODEL_DIR'), 'models', '<name>', '<version>', …); the scoring-script check offers that edit where the script joins the v1 path.",
  }),
});

const missingInferenceServer = rule({
  id: "missing-inference-server",
  severity: "blocker",
  docUrl: `${LEARN}/how-to-inference-server-http`,
  fires: ({ service, choices }) => {
    const env = service.environment;
    if (choices.environmentOverride || !env || env.userManagedDependencies || env.condaDependencies === undefined) return false;
    const names = condaPackageNames(env.condaDependencies);
    return !INFERENCE_SERVER_PACKAGES.some((p) => names.includes(p));
  },
  describe: ({ service }) => ({
    message: `The environment of "${service.name}"${service.environment?.name ? ` (${service.environment.name})` : ""} lists neither azureml-defaults nor azureml-inference-server-http, so the new container has no HTTP server and exits at start.`,
    remedy:
      "Add azureml-inference-server-http to the environment's pip dependencies, register it as a new version and plan again with --environment NAME:VERSION.",
  }),
});

const timeoutRaised = rule({
  id: "request-timeout-raised",
  severity: "info",
  docUrl: `${LEARN}/reference-yaml-deployment-managed-online#requestsettings`,
  fires: ({ choices }) => choices.requestTimeoutMs > MANAGED_DEFAULT_TIMEOUT_MS,
  describe: ({ choices }) => ({
    message: `The request timeout is set to ${choices.requestTimeoutMs / 1000} s: ACI let requests run for about 60 s, while managed deployments cut them off after 5 s by default.`,
    remedy: "Keep it unless your requests are all fast; lower it with --timeout-ms to fail fast.",
  }),
});

const skuOutsideTable = rule({
  id: "sku-outside-table",
  severity: "warning",
  docUrl: `${LEARN}/migrate-to-v2-managed-online-endpoints`,
  // The cheaper fit the plan itself offers is no departure worth a warning: it meets the table's own fit rule.
  fires: ({ choices }) =>
    choices.sku !== null && choices.skuSource !== "table" && !(choices.skuSource === "override" && choices.sku.name === choices.cheaperFit),
  describe: ({ service, choices }) => ({
    message:
      choices.skuSource === "override"
        ? `You chose ${choices.sku!.name}; Microsoft's mapping would suggest ${choices.suggestedSku?.name ?? "no SKU"} for ${service.cpu} CPU / ${service.memoryGb} GB.`
        : `No row of Microsoft's mapping table covers ${service.cpu} CPU / ${service.memoryGb} GB, so ${choices.sku!.name} was chosen by the cheapest-fit fallback.`,
    remedy: "Load-test the new deployment before moving traffic, and pick another size with --sku if it is too small or too costly.",
  }),
});

const noSkuFits = rule({
  id: "no-sku-fits",
  severity: "blocker",
  clearedBy: ["sku"],
  docUrl: `${LEARN}/reference-managed-online-endpoints-vm-sku-list`,
  fires: ({ choices }) => choices.sku === null,
  describe: ({ service }) => ({
    message: `No CPU SKU that managed endpoints support has ${service.cpu} vCPUs and ${service.memoryGb} GB plus headroom.`,
    remedy: "Choose a SKU yourself with --sku (a GPU or memory-optimised size), or reduce the request.",
  }),
});

const endpointNameTaken = rule({
  id: "endpoint-name-taken",
  severity: "blocker",
  clearedBy: ["endpointName"],
  docUrl: `${LEARN}/how-to-deploy-online-endpoints`,
  fires: ({ region, choices }) => region?.takenEndpointNames?.includes(choices.endpointName) === true,
  describe: ({ region, choices }) => ({
    message: `The endpoint name ${choices.endpointName} is taken in ${region!.location}: managed endpoint names are unique in a region, so Azure would refuse to create it.`,
    remedy: region!.freeEndpointName
      ? `Rename the endpoint, e.g. to ${region!.freeEndpointName}, which is free (--endpoint-name ${region!.freeEndpointName}).`
      : "Rename the endpoint (--endpoint-name NAME) to one that is free in the region.",
  }),
});

const quotaShort = rule({
  id: "quota-short",
  severity: "blocker",
  clearedBy: ["sku", "instanceCount"],
  docUrl: `${LEARN}/how-to-manage-quotas`,
  fires: ({ region, choices }) => {
    const free = choices.sku ? region?.freeQuota?.[choices.sku.family] : undefined;
    return free !== undefined && free < quotaNeed(choices.sku!, choices.instanceCount).cores;
  },
  describe: ({ region, choices }) => {
    const need = quotaNeed(choices.sku!, choices.instanceCount);
    return {
      message: `${choices.instanceCount} × ${choices.sku!.name} needs ${need.cores} vCPUs of ${need.family} (${need.formula}); ${region!.location} has ${region!.freeQuota![need.family]} free, so Azure would refuse the deployment.`,
      remedy: "Choose a VM size of another family or fewer instances, or ask for more quota (Azure portal › Quotas) and review again.",
    };
  },
});

const blueGreenSwitch = rule({
  id: "blue-green-switch",
  severity: "info",
  docUrl: `${LEARN}/how-to-safely-rollout-online-endpoints`,
  fires: ({ choices }) => choices.replaces !== undefined,
  describe: ({ choices }) => {
    const old = choices.replaces!;
    return {
      message: `${choices.endpointName} already serves this service from deployment ${old.deploymentName} on ${old.instanceType}, and Azure cannot change a deployment's VM size: the new one is created beside it, and ${old.deploymentName} keeps the traffic until the new one's smoke test passes.`,
      remedy: `Nothing to do: the traffic then moves to the new deployment and ${old.deploymentName} is deleted (migrate --traffic-steps moves it in steps).`,
    };
  },
});

const skuSmallerThanRequest = rule({
  id: "sku-smaller-than-request",
  severity: "warning",
  docUrl: `${LEARN}/reference-managed-online-endpoints-vm-sku-list`,
  fires: ({ service, choices }) => choices.sku !== null && (choices.sku.vcpus < service.cpu || choices.sku.memoryGib < service.memoryGb),
  describe: ({ service, choices }) => ({
    message: `${choices.sku!.name} has ${choices.sku!.vcpus} vCPUs and ${choices.sku!.memoryGib} GiB, less than the ${service.cpu} CPU / ${service.memoryGb} GB the ACI container asked for.`,
    remedy: "Expect out-of-memory restarts or slow scoring; pick a larger --sku unless you know the request was oversized.",
  }),
});

const fewInstances = rule({
  id: "few-instances",
  severity: "warning",
  docUrl: `${LEARN}/reference-managed-online-endpoints-vm-sku-list`,
  fires: ({ choices }) => choices.instanceCount < PRODUCTION_MIN_INSTANCES,
  describe: ({ choices }) => ({
    message: `The deployment runs ${choices.instanceCount === 1 ? "one instance" : `${choices.instanceCount} instances`}; during an Azure host update or a crash it ${choices.instanceCount === 1 ? "cannot answer" : "loses part of its capacity"}.`,
    remedy: `Use at least ${PRODUCTION_MIN_INSTANCES} instances (--instances ${PRODUCTION_MIN_INSTANCES}) for production traffic; one is fine for a test.`,
  }),
});

const appInsightsCopied = rule({
  id: "app-insights-copied",
  severity: "info",
  docUrl: `${LEARN}/how-to-monitor-online-endpoints`,
  fires: ({ service }) => service.appInsightsEnabled,
  describe: () => ({
    message: "Application Insights logging is switched on for the new deployment, as it was on ACI.",
    remedy: "Nothing to do; queries on the old service's telemetry need the new cloud role name.",
  }),
});

const envVarsCopied = rule({
  id: "environment-variables-copied",
  severity: "info",
  docUrl: `${LEARN}/reference-yaml-deployment-managed-online`,
  fires: ({ service }) => Object.keys(service.environment?.environmentVariables ?? {}).length > 0,
  describe: ({ service }) => {
    const names = Object.keys(service.environment?.environmentVariables ?? {});
    return {
      message: `${names.length} environment variable${names.length === 1 ? "" : "s"} (${names.join(", ")}) ${names.length === 1 ? "is" : "are"} set on the new deployment.`,
      remedy: "Nothing to do; move any secret among them to a key vault reference.",
    };
  },
});

const dataCollectionNotCarried = rule({
  id: "data-collection-not-carried",
  severity: "warning",
  docUrl: `${LEARN}/how-to-collect-production-data`,
  fires: ({ service }) => service.dataCollection.storageEnabled || service.dataCollection.eventHubEnabled,
  describe: ({ service }) => ({
    message: `"${service.name}" collects model inputs and outputs with v1 ModelDataCollector; managed endpoints do not run it, so collection stops.`,
    remedy: "Add a data_collector section to the deployment and replace ModelDataCollector calls with azureml-ai-monitoring's Collector.",
  }),
});

const gpuOnAci = rule({
  id: "gpu-request-on-aci",
  severity: "warning",
  docUrl: `${LEARN}/reference-managed-online-endpoints-vm-sku-list`,
  fires: ({ service, choices }) => service.gpu > 0 && choices.sku?.architecture !== "gpu",
  describe: ({ service, choices }) => ({
    message: `The definition asks for ${service.gpu} GPU${service.gpu === 1 ? "" : "s"} on ACI, which ACI ML deployments never provided; the plan uses the CPU size ${choices.sku?.name ?? "(none)"}.`,
    remedy: "If the model needs a GPU, choose a GPU SKU with --sku (for example Standard_NC4as_T4_v3); otherwise remove gpu from the definition.",
  }),
});

const environmentUnknown = rule({
  id: "environment-unknown",
  severity: "warning",
  docUrl: `${LEARN}/migrate-to-v2-managed-online-endpoints`,
  fires: ({ service, choices }) => service.environment === undefined && !isImageBased(service) && !choices.environmentOverride,
  describe: ({ service }) => ({
    message: `Nothing says which environment "${service.name}" runs in, so the deployment cannot name one yet.`,
    remedy: "Pass the service's inferenceconfig (--inference-config) or plan from the service itself (--service-json).",
  }),
});

const modelUnknown = rule({
  id: "model-unknown",
  severity: "warning",
  docUrl: `${LEARN}/concept-online-deployment-model-specification`,
  fires: ({ service, choices }) => !service.modelsKnown && !choices.modelOverride,
  describe: () => ({
    message: "A deployment config does not say which registered model the service serves.",
    remedy: "Name it with --model NAME:VERSION, or plan from the service itself (--service-json).",
  }),
});

/** Every rule, in the order the review lists them within a severity. */
export const FINDING_RULES: readonly FindingRule[] = [
  notHealthy,
  noSkuFits,
  endpointNameTaken,
  quotaShort,
  cmkUnsupported,
  vnetRedo,
  publicAccessOff,
  imageBased,
  missingInferenceServer,
  noAuthBecomesKey,
  keysDropped,
  tlsCertificateDropped,
  customDnsUnsupported,
  multipleModels,
  dataCollectionNotCarried,
  skuOutsideTable,
  skuSmallerThanRequest,
  gpuOnAci,
  fewInstances,
  environmentUnknown,
  modelUnknown,
  keysCarried,
  blueGreenSwitch,
  timeoutRaised,
  appInsightsCopied,
  envVarsCopied,
];

const SEVERITY_ORDER: Record<Severity, number> = { blocker: 0, warning: 1, info: 2 };

/** Runs every rule; the result is ordered blockers first, then warnings, then information. */
export function evaluateFindings(ctx: FindingContext): Finding[] {
  return FINDING_RULES.filter((r) => r.fires(ctx))
    .map((r) => ({ id: r.id, severity: r.severity, docUrl: r.docUrl, ...r.describe(ctx) }))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

function authLabel(mode: AuthMode): string {
  return mode === "Key" ? "key auth" : mode === "AMLToken" ? "Azure ML token auth" : "Microsoft Entra token auth";
}
