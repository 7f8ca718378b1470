import type { AzureConnection } from "./connection.js";

/**
 * What a connection keeps for as long as it is used: its SDK clients, the one HTTPS agent they all send through
 * (so a socket and its TLS handshake serve many calls), the model-management host of each region, and the
 * throttle gate. Keyed by the credential, which every copy of a connection (`{ ...conn, trace }`) shares.
 */
const kept = new WeakMap<object, Map<string, unknown>>();

export function perConnection<T>(conn: AzureConnection, key: string, make: () => T): T {
  let map = kept.get(conn.credential);
  if (!map) kept.set(conn.credential, (map = new Map()));
  const full = `${conn.armEndpoint} ${key}`;
  if (!map.has(full)) map.set(full, make());
  return map.get(full) as T;
}

/** Forgets one kept value (a discovery lookup that failed is asked again next time). */
export function forgetPerConnection(conn: AzureConnection, key: string): void {
  kept.get(conn.credential)?.delete(`${conn.armEndpoint} ${key}`);
}
