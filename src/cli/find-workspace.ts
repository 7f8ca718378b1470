import type { AzureConnection } from "../azure/connection.js";
import { listSubscriptions, listWorkspaces, type WorkspaceSummary } from "../azure/workspaces.js";
import { UserFixableError } from "../domain/errors.js";

/** The workspace called `name` in the subscriptions the user can see (or in `subscriptionId`), exactly one. */
export async function findWorkspace(conn: AzureConnection, name: string, subscriptionId?: string, resourceGroup?: string): Promise<WorkspaceSummary> {
  const subs = subscriptionId ? [{ subscriptionId }] : await listSubscriptions(conn);
  const matches: WorkspaceSummary[] = [];
  const seen: string[] = [];
  for (const s of subs) {
    for (const ws of await listWorkspaces(conn, s.subscriptionId)) {
      seen.push(ws.workspace);
      if (ws.workspace.toLowerCase() === name.toLowerCase() && (!resourceGroup || ws.resourceGroup.toLowerCase() === resourceGroup.toLowerCase()))
        matches.push(ws);
    }
  }
  if (matches.length === 1) return matches[0]!;
  if (!matches.length) {
    throw new UserFixableError(`No workspace named ${name}${subscriptionId ? ` in subscription ${subscriptionId}` : " in the subscriptions you can see"}.`, {
      why: seen.length ? `The workspaces there are: ${[...new Set(seen)].join(", ")}.` : "No workspace is visible to this account.",
      nextStep: "Pass one of those with --workspace (and --subscription if the name repeats).",
      kind: "input",
    });
  }
  throw new UserFixableError(`${matches.length} workspaces are named ${name}.`, {
    why: `They are in subscriptions ${matches.map((m) => m.subscriptionId).join(", ")}.`,
    nextStep: "Pick one with --subscription (or --resource-group).",
    kind: "input",
  });
}
