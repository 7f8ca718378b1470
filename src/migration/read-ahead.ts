import type { DeploymentState, EndpointState } from "./port.js";
import type { ServiceKeys } from "./service-keys.js";
import type { ServiceRun } from "./service-run.js";

/** What one step reads for a later one, by name. */
export interface ReadsAhead {
  /** Preflight's read of the planned endpoint, for the endpoint step. */
  endpoint: EndpointState | undefined;
  /** The v1 keys the endpoint step sets on a new endpoint (memory only). */
  "v1-keys": ServiceKeys;
  /** The model and environment ids the deployment puts, read once the code lane is done. */
  "deployment-assets": { modelId: string; environmentId: string; for: string; warning?: string };
  /** What the smoke test sends and with which keys, read while the deployment provisions. */
  "smoke-inputs": { keys?: ServiceKeys; oldKeys?: ServiceKeys; sample: { body: unknown; source: string } };
  /** The endpoint and its deployments as the traffic step finds them, read while the smoke test scores. */
  "traffic-endpoint": EndpointState | undefined;
  "traffic-deployments": DeploymentState[];
}

/**
 * Starts a read a later step of this run needs, so that it happens while this step waits on Azure (the steps
 * themselves stay in order). Reads only: nothing a step writes is done ahead.
 */
export function readAhead<K extends keyof ReadsAhead>(run: ServiceRun, key: K, read: () => Promise<ReadsAhead[K]>): void {
  const p = read();
  p.catch(() => undefined); // (its failure is reported by the step that takes it)
  (run.ahead ??= new Map()).set(key, p);
}

/**
 * What an earlier step read ahead, taken once; without one (a resume, a retry of the step) the step reads now.
 * Every step still starts from what Azure has: a read ahead was made in this run, after the last change to it.
 */
export function takeAhead<K extends keyof ReadsAhead>(run: ServiceRun, key: K, read: () => Promise<ReadsAhead[K]>): Promise<ReadsAhead[K]> {
  const p = run.ahead?.get(key) as Promise<ReadsAhead[K]> | undefined;
  run.ahead?.delete(key);
  return p ?? read();
}
