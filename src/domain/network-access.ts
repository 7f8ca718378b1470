/**
 * Whether a managed endpoint takes scoring requests from public networks (its `publicNetworkAccess`):
 * "Disabled" leaves only the workspace's private endpoint.
 */
export type PublicNetworkAccess = "Enabled" | "Disabled";

export const PUBLIC_NETWORK_ACCESS: readonly PublicNetworkAccess[] = ["Enabled", "Disabled"];
