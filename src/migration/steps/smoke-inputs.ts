import { DEFAULT_SAMPLE_REQUEST } from "../../domain/plan.js";
import { sampleFromV1Swagger } from "../../domain/v1-swagger.js";
import type { ReadsAhead } from "../read-ahead.js";
import { planOf, type ServiceRun } from "../service-run.js";

/** The smoke test's keys (registered as secrets as they arrive) and its sample request. */
export async function smokeInputs(run: ServiceRun): Promise<ReadsAhead["smoke-inputs"]> {
  const plan = planOf(run);
  const oldUri = String(run.doc?.scoringUri ?? "");
  const [keys, sample, oldKeys] = await Promise.all([
    plan.authMode === "Key" ? run.port.listEndpointKeys(run.ws, plan.endpointName) : undefined,
    sampleRequestFor(run),
    oldUri && run.service?.authEnabled ? run.port.listV1ServiceKeys(run.ws, run.entry.name) : undefined,
  ]);
  for (const k of [keys?.primaryKey, keys?.secondaryKey, oldKeys?.primaryKey, oldKeys?.secondaryKey]) if (k) run.secrets.add(k);
  return { keys, sample, oldKeys };
}

/** The user's sample first (they know their callers), then the one the service's swagger documents, then a default. */
export async function sampleRequestFor(run: ServiceRun): Promise<{ body: unknown; source: string }> {
  if (run.sampleRequest !== undefined) return { body: run.sampleRequest, source: "the sample request given with --sample-request" };
  const swaggerUri = typeof run.doc?.swaggerUri === "string" ? run.doc.swaggerUri : undefined;
  const fromSwagger = swaggerUri ? sampleFromV1Swagger(await run.port.v1Swagger(swaggerUri).catch(() => undefined)) : undefined;
  if (fromSwagger !== undefined) return { body: fromSwagger, source: "the sample input from the service's swagger" };
  return {
    body: DEFAULT_SAMPLE_REQUEST,
    source: `a default sample ${JSON.stringify(DEFAULT_SAMPLE_REQUEST)} (the service documents none; give one with --sample-request)`,
  };
}
