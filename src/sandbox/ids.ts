import { createHash } from "node:crypto";

/** A GUID derived from a label, so the seeded world has the same ids on every machine and every start. */
export function stableGuid(label: string): string {
  const h = createHash("sha256").update(label).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A secret-looking but deterministic key (base64 of a hash) for seeded services and endpoints. */
export function stableKey(label: string): string {
  return createHash("sha256").update(`key:${label}`).digest("base64").replace(/[+/=]/g, "").slice(0, 32);
}

export const PROVIDER = "Microsoft.MachineLearningServices";

export interface WorkspaceRef {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
}

export function workspaceId(ws: WorkspaceRef): string {
  return `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/${PROVIDER}/workspaces/${ws.name}`;
}

/** The key records are filed under: ARM ids compare case-insensitively. */
export function workspaceKey(ws: WorkspaceRef): string {
  return workspaceId(ws).toLowerCase();
}

export const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
