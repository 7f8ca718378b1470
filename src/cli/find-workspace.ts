import type { AzureConnection } from "../azure/connection.js";
import { listSubscriptions, listWorkspaces, type WorkspaceSummary } from "../azure/workspaces.js";
import { UserFixableError } from "../domain/errors.js";

/**
 * The workspace called `name` in the subscriptions the user can see (or in `subscriptionId`), exactly one. A
 * subscription that cannot be read (Azure still failing after its retries) does not fail the search when the
 * workspace is found in another: it is reported through `notice`, and the search goes on.
 */
export async function findWorkspace(
  conn: AzureConnection,
  name: string,
  subscriptionId?: string,
  resourceGroup?: string,
  notice: (message: string) => void = () => undefined,
): Promise<WorkspaceSummary> {
  const subs = subscriptionId ? [{ subscriptionId }] : await listSubscriptions(conn);
  const matches: WorkspaceSummary[] = [];
  const seen: string[] = [];
  const unreadable: { subscriptionId: string; error: unknown }[] = [];
  for (const s of subs) {
    let workspaces: WorkspaceSummary[];
    try {
      workspaces = await listWorkspaces(conn, s.subscriptionId);
    } catch (error) {
      if (subs.length === 1) throw error;
      unreadable.push({ subscriptionId: s.subscriptionId, error });
      continue;
    }
    for (const ws of workspaces) {
      seen.push(ws.workspace);
      if (ws.workspace.toLowerCase() === name.toLowerCase() && (!resourceGroup || ws.resourceGroup.toLowerCase() === resourceGroup.toLowerCase()))
        matches.push(ws);
    }
  }
  // Not found, and a subscription could not be read: the workspace may be there, so that failure is the answer.
  if (!matches.length && unreadable.length) throw unreadable[0]!.error;
  for (const u of unreadable) {
    notice(
      `Subscription ${u.subscriptionId} could not be read (${firstLine(u.error)}); ${name} was found in subscription ${matches[0]!.subscriptionId}. If a workspace of that name is also in ${u.subscriptionId}, pass --subscription.`,
    );
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

const firstLine = (e: unknown) => ((e as Error)?.message ?? String(e)).split("\n")[0]!.trim() || "no details given";
