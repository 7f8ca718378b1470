import type { ReadsAhead } from "../read-ahead.js";
import { sampleRequest } from "../sample-request.js";
import { planOf, type ServiceRun } from "../service-run.js";

/** The smoke test's keys (registered as secrets as they arrive) and its sample request. */
export async function smokeInputs(run: ServiceRun): Promise<ReadsAhead["smoke-inputs"]> {
  const plan = planOf(run);
  const oldUri = String(run.doc?.scoringUri ?? "");
  const [keys, sample, oldKeys] = await Promise.all([
    plan.authMode === "Key" ? run.port.listEndpointKeys(run.at, plan.endpointName) : undefined,
    sampleRequest({ port: run.port, doc: run.doc, sampleRequest: run.sampleRequest }),
    oldUri && run.service?.authEnabled ? run.port.listV1ServiceKeys(run.ws, run.entry.name) : undefined,
  ]);
  for (const k of [keys?.primaryKey, keys?.secondaryKey, oldKeys?.primaryKey, oldKeys?.secondaryKey]) if (k) run.secrets.add(k);
  return { keys, sample, oldKeys };
}
