import type { SandboxContext } from "./context.js";
import { armError, HttpError } from "./http.js";
import { PROVIDER, sameName, workspaceKey } from "./ids.js";
import type { EndpointRecord, WorkspaceRecord } from "./world.js";

export function requireSubscription(ctx: SandboxContext, subscriptionId: string) {
  const sub = ctx.store.world.subscriptions.find((s) => sameName(s.subscriptionId, subscriptionId));
  if (!sub) throw armError(404, "SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found.`);
  return sub;
}

export function requireWorkspace(ctx: SandboxContext, p: Readonly<Record<string, string>>): WorkspaceRecord & { key: string } {
  const subscriptionId = p.subscriptionId!;
  requireSubscription(ctx, subscriptionId);
  const rg = p.resourceGroupName ?? p.resourceGroup!;
  const name = p.workspaceName ?? p.workspace!;
  const ws = ctx.store.world.workspaces.find((w) => sameName(w.subscriptionId, subscriptionId) && sameName(w.resourceGroup, rg) && sameName(w.name, name));
  if (!ws) {
    if (!ctx.store.world.workspaces.some((w) => sameName(w.subscriptionId, subscriptionId) && sameName(w.resourceGroup, rg))) {
      throw armError(404, "ResourceGroupNotFound", `Resource group '${rg}' could not be found.`);
    }
    throw armError(
      404,
      "ResourceNotFound",
      `The Resource '${PROVIDER}/workspaces/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  }
  return { ...ws, key: workspaceKey(ws) };
}

export function findEndpoint(ctx: SandboxContext, workspace: string, name: string): EndpointRecord | undefined {
  return ctx.store.world.endpoints.find((e) => e.workspace === workspace && sameName(e.name, name));
}

export function requireEndpoint(ctx: SandboxContext, workspace: string, name: string): EndpointRecord {
  const e = findEndpoint(ctx, workspace, name);
  if (!e) {
    throw new HttpError(404, "NotFound", "The specified resource was not found.", [
      { code: "InferencingClientCallFailed", message: '{{"title":"Not Found"}}' },
    ]);
  }
  return e;
}

export function apiVersionOf(url: URL): string {
  return url.searchParams.get("api-version") ?? "2022-10-01";
}

/**
 * An endpoint or deployment lives in its workspace's region; a PUT naming another is refused (wording inferred:
 * Azure answers 400 BadRequest, and no recorded body is at hand), as is one naming none.
 */
export function requireWorkspaceLocation(given: string | undefined, workspaceLocation: string, what: string): asserts given is string {
  if (!given) throw armError(400, "LocationRequired", "The location property is required for this definition.");
  const norm = (l: string) => l.toLowerCase().replace(/\s+/g, "");
  if (norm(given) !== norm(workspaceLocation)) {
    throw armError(
      400,
      "BadRequest",
      `The location '${given}' of ${what} differs from its workspace's location '${workspaceLocation}': online endpoints and deployments are created in the workspace's region.`,
    );
  }
}
