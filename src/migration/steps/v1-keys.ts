import type { ServiceRun } from "../service-run.js";

/** The v1 service's keys, registered as secrets as soon as they are read. */
export async function v1KeysOf(run: ServiceRun) {
  const keys = await run.port.listV1ServiceKeys(run.ws, run.entry.name);
  for (const k of [keys.primaryKey, keys.secondaryKey]) if (k) run.secrets.add(k);
  return keys;
}
