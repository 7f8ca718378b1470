import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { translate } from "./azure-error.js";
import { clientOptions, type AzureConnection } from "./connection.js";
import { perConnection } from "./per-connection.js";

// Apart from workspaces.ts: the wizard's first question needs only this client, and the Azure ML SDK loads later.

export interface SubscriptionSummary {
  readonly subscriptionId: string;
  readonly displayName: string;
  readonly tenantId?: string;
}

export function listSubscriptions(conn: AzureConnection): Promise<SubscriptionSummary[]> {
  return translate("Subscriptions_List", async () => {
    const client = perConnection(conn, "subscriptions", () => new SubscriptionClient(conn.credential, clientOptions(conn)));
    const out: SubscriptionSummary[] = [];
    for await (const s of client.subscriptions.list()) {
      if (s.subscriptionId) out.push({ subscriptionId: s.subscriptionId, displayName: s.displayName ?? s.subscriptionId, tenantId: s.tenantId });
    }
    return out;
  });
}
