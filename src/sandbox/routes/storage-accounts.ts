import type { SandboxContext } from "../context.js";
import { armError, json } from "../http.js";
import { sameName, stableKey } from "../ids.js";
import { requireSubscription } from "../lookup.js";
import type { Router } from "../router.js";
import type { WorkspaceRecord } from "../world.js";

const STORAGE = "Microsoft.Storage/storageAccounts";

/** A storage account's second key (Azure keeps two; the datastore holds key1). Both sign SharedKey requests. */
export function secondAccountKey(accountName: string): string {
  return Buffer.from(stableKey(`account2:${accountName}`)).toString("base64");
}

/** Each account's two keys, for SharedKey verification: key1 is what the workspace's datastores hold. */
export function accountKeys(ctx: SandboxContext, accountName: string): string[] {
  const key1 = ctx.store.world.datastores.find((d) => d.accountName === accountName)?.accountKey;
  return key1 ? [key1, secondAccountKey(accountName)] : [];
}

function accountBody(ws: WorkspaceRecord) {
  const name = ws.storageAccount;
  return {
    id: `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/${STORAGE}/${name}`,
    name,
    type: STORAGE,
    location: ws.location,
    kind: "StorageV2",
    sku: { name: "Standard_LRS", tier: "Standard" },
    tags: {},
    properties: {
      provisioningState: "Succeeded",
      primaryLocation: ws.location,
      statusOfPrimary: "available",
      primaryEndpoints: { blob: `https://${name}.blob.core.windows.net/` },
      supportsHttpsTrafficOnly: true,
      allowSharedKeyAccess: true,
      minimumTlsVersion: "TLS1_2",
    },
  };
}

/**
 * The workspaces' storage accounts, as Microsoft.Storage shows them: listed, read, and their keys listed (what `az
 * storage … --auth-mode key` reads before it signs). Their blobs live at /ACCOUNT/… or ACCOUNT.blob.core.windows.net.
 */
export function registerStorageAccounts(router: Router, ctx: SandboxContext): void {
  const accounts = (subscriptionId: string, resourceGroup?: string) => {
    requireSubscription(ctx, subscriptionId);
    return ctx.store.world.workspaces.filter((w) => sameName(w.subscriptionId, subscriptionId) && (!resourceGroup || sameName(w.resourceGroup, resourceGroup)));
  };
  const account = (p: Readonly<Record<string, string>>) => {
    const ws = accounts(p.subscriptionId!, p.resourceGroupName).find((w) => sameName(w.storageAccount, p.accountName!));
    if (!ws) {
      throw armError(
        404,
        "ResourceNotFound",
        `The Resource '${STORAGE}/${p.accountName}' under resource group '${p.resourceGroupName}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
    }
    return ws;
  };
  const RG = `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/${STORAGE}`;
  router
    .add("GET", `/subscriptions/{subscriptionId}/providers/${STORAGE}`, "StorageAccounts_List", (req) =>
      json(200, { value: accounts(req.params.subscriptionId!).map(accountBody) }),
    )
    .add("GET", RG, "StorageAccounts_ListByResourceGroup", (req) =>
      json(200, { value: accounts(req.params.subscriptionId!, req.params.resourceGroupName).map(accountBody) }),
    )
    .add("GET", `${RG}/{accountName}`, "StorageAccounts_GetProperties", (req) => json(200, accountBody(account(req.params))))
    .add("POST", `${RG}/{accountName}/listKeys`, "StorageAccounts_ListKeys", (req) => {
      const ws = account(req.params);
      const [key1, key2] = accountKeys(ctx, ws.storageAccount);
      const created = new Date(0).toISOString();
      return json(200, {
        keys: [
          { keyName: "key1", value: key1, permissions: "FULL", creationTime: created },
          { keyName: "key2", value: key2, permissions: "FULL", creationTime: created },
        ],
      });
    });
}
