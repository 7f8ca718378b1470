import { VM_SKUS } from "../../domain/sku-catalog.js";
import type { SandboxContext } from "../context.js";
import { HttpError, json, notFound } from "../http.js";
import { PROVIDER, sameName } from "../ids.js";
import { requireSubscription, requireWorkspace } from "../lookup.js";
import { currentUsage } from "../quota.js";
import { workspaceBody } from "../resources.js";
import type { Router } from "../router.js";

const WS = `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/${PROVIDER}/workspaces`;
const LOC = `/subscriptions/{subscriptionId}/providers/${PROVIDER}/locations/{location}`;

/** Subscriptions, tenants, workspaces, usages, VM sizes and the discovery document. */
export function registerArmCore(router: Router, ctx: SandboxContext): void {
  const world = () => ctx.store.world;
  const subscriptionBody = (s: { subscriptionId: string; displayName: string; tenantId: string }) => ({
    id: `/subscriptions/${s.subscriptionId}`,
    subscriptionId: s.subscriptionId,
    tenantId: s.tenantId,
    displayName: s.displayName,
    state: "Enabled",
    subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "EnterpriseAgreement_2014-09-01", spendingLimit: "Off" },
    authorizationSource: "RoleBased",
  });

  router
    .add("GET", "/subscriptions", "Subscriptions_List", () => json(200, { value: world().subscriptions.map(subscriptionBody) }))
    .add("GET", "/subscriptions/{subscriptionId}", "Subscriptions_Get", (req) =>
      json(200, subscriptionBody(requireSubscription(ctx, req.params.subscriptionId!))),
    )
    .add("GET", "/tenants", "Tenants_List", () =>
      json(200, {
        value: world().tenants.map((t) => ({
          id: `/tenants/${t.tenantId}`,
          tenantId: t.tenantId,
          tenantCategory: "Home",
          displayName: t.displayName,
          defaultDomain: t.defaultDomain,
          domains: [t.defaultDomain],
          tenantType: "AAD",
        })),
      }),
    )
    .add("GET", `/subscriptions/{subscriptionId}/providers/${PROVIDER}/workspaces`, "Workspaces_ListBySubscription", (req) => {
      requireSubscription(ctx, req.params.subscriptionId!);
      return json(200, {
        value: world()
          .workspaces.filter((w) => sameName(w.subscriptionId, req.params.subscriptionId!))
          .map((w) => workspaceBody(w, req.origin)),
      });
    })
    .add("GET", WS, "Workspaces_ListByResourceGroup", (req) => {
      requireSubscription(ctx, req.params.subscriptionId!);
      const list = world().workspaces.filter(
        (w) => sameName(w.subscriptionId, req.params.subscriptionId!) && sameName(w.resourceGroup, req.params.resourceGroupName!),
      );
      if (!list.length) throw notFound(`resourceGroups/${req.params.resourceGroupName}`);
      return json(200, { value: list.map((w) => workspaceBody(w, req.origin)) });
    })
    .add("GET", `${WS}/{workspaceName}`, "Workspaces_Get", (req) => json(200, workspaceBody(requireWorkspace(ctx, req.params), req.origin)))
    .add("GET", `${LOC}/usages`, "Usages_List", (req) => {
      const sub = requireSubscription(ctx, req.params.subscriptionId!);
      const location = req.params.location!.toLowerCase();
      const limits = world().quotaLimits.filter((q) => sameName(q.subscriptionId, sub.subscriptionId) && q.location === location);
      return json(200, {
        value: limits.map((q) => ({
          id: `/subscriptions/${sub.subscriptionId}/providers/${PROVIDER}/locations/${location}/usages/${q.family}`,
          aml_workspace_location: location,
          type: `${PROVIDER}/usages`,
          unit: "Count",
          currentValue: currentUsage(world(), sub.subscriptionId, location, q.family),
          limit: q.limit,
          name: { value: q.family, localizedValue: `${q.family} Cores` },
        })),
      });
    })
    .add("GET", `${LOC}/vmSizes`, "VirtualMachineSizes_List", (req) => {
      requireSubscription(ctx, req.params.subscriptionId!);
      return json(200, {
        value: VM_SKUS.map((s) => ({
          name: s.name,
          family: s.family,
          vCPUs: s.vcpus,
          gpus: Number.parseInt(s.gpus, 10) || 0,
          osVhdSizeMB: 1047552,
          maxResourceVolumeMB: s.vcpus * 8192,
          memoryGB: s.memoryGib,
          lowPriorityCapable: s.architecture === "cpu",
          premiumIO: true,
          supportedComputeTypes: ["ComputeInstance", "AmlCompute", "ManagedOnlineEndpoint"],
          estimatedVMPrices:
            s.usdPerHour === null
              ? null
              : { billingCurrency: "USD", unitOfMeasure: "OneHour", values: [{ retailPrice: s.usdPerHour, osType: "Linux", vmTier: "Standard" }] },
        })),
      });
    })
    // ARM's cloud metadata (no auth, as in Azure): how azure-ai-ml (ARM_CLOUD_METADATA_URL) and
    // `az cloud register --endpoint-resource-manager` learn a cloud's endpoints.
    .add("GET", "/metadata/endpoints", "Metadata_Endpoints", (req) => {
      const version = req.url.searchParams.get("api-version");
      if (!version) throw new HttpError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
      return json(200, version >= "2019-05-01" ? [cloudMetadata(req.origin)] : legacyCloudMetadata(req.origin));
    })
    // The data-plane discovery document (no auth, as in Azure): every service host is the sandbox.
    .add("GET", "/discovery/{location}", "Discovery_Get", (req) =>
      json(
        200,
        Object.fromEntries(
          ["api", "catalog", "experimentation", "gallery", "history", "hyperdrive", "labeling", "modelmanagement", "pipelines", "studio"].map((k) => [
            k,
            req.origin,
          ]),
        ),
      ),
    );
}

/** The 2019-05-01 shape: one entry per cloud; the sandbox's endpoints are all its own address. */
function cloudMetadata(origin: string) {
  const host = new URL(origin).host;
  return {
    portal: origin,
    authentication: {
      loginEndpoint: `${origin}/`,
      audiences: ["https://management.core.windows.net/", "https://management.azure.com/"],
      tenant: "common",
      identityProvider: "AAD",
    },
    media: origin,
    graphAudience: "https://graph.windows.net/",
    graph: "https://graph.windows.net/",
    name: "AciMigrateSandbox",
    suffixes: {
      azureDataLakeStoreFileSystem: host,
      acrLoginServer: host,
      sqlServerHostname: host,
      azureDataLakeAnalyticsCatalogAndJob: host,
      keyVaultDns: host,
      storage: host,
      azureFrontDoorEndpointSuffix: host,
      storageSyncEndpointSuffix: host,
      mhsmDns: host,
      mysqlServerEndpoint: host,
      postgresqlServerEndpoint: host,
      sqlServerEndpoint: host,
    },
    batch: `${origin}/`,
    resourceManager: `${origin}/`,
    vmImageAliasDoc: "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json",
    activeDirectoryDataLake: "https://datalake.azure.net/",
    sqlManagement: `${origin}/`,
    microsoftGraphResourceId: "https://graph.microsoft.com/",
    appInsightsResourceId: "https://api.applicationinsights.io",
    appInsightsTelemetryChannelResourceId: "https://dc.applicationinsights.azure.com/v2/track",
    attestationResourceId: "https://attest.azure.net",
    synapseAnalyticsResourceId: "https://dev.azuresynapse.net",
    logAnalyticsResourceId: "https://api.loganalytics.io",
    ossrDbmsResourceId: "https://ossrdbms-aad.database.windows.net",
    gallery: `${origin}/`,
  };
}

/** The 2015-01-01 shape that older clients read: one object for this cloud. */
function legacyCloudMetadata(origin: string) {
  return {
    galleryEndpoint: `${origin}/`,
    graphEndpoint: "https://graph.windows.net/",
    portalEndpoint: `${origin}/`,
    authentication: { loginEndpoint: `${origin}/`, audiences: ["https://management.core.windows.net/", "https://management.azure.com/"] },
  };
}
