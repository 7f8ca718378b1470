import { DEFAULT_SAMPLE_REQUEST } from "../domain/plan.js";
import { sampleFromV1Swagger } from "../domain/v1-swagger.js";
import type { MigrationPort } from "./port.js";

/** The user's sample first, then the one the service's swagger documents, then a default (they know their callers). */
export async function sampleRequest(s: {
  readonly port?: MigrationPort;
  readonly doc?: Record<string, unknown>;
  readonly sampleRequest?: unknown;
}): Promise<{ body: unknown; source: string }> {
  if (s.sampleRequest !== undefined) return { body: s.sampleRequest, source: "the sample request given with --sample-request" };
  const swaggerUri = typeof s.doc?.swaggerUri === "string" ? s.doc.swaggerUri : undefined;
  const fromSwagger = swaggerUri && s.port ? sampleFromV1Swagger(await s.port.v1Swagger(swaggerUri).catch(() => undefined)) : undefined;
  if (fromSwagger !== undefined) return { body: fromSwagger, source: "the sample input from the service's swagger" };
  return {
    body: DEFAULT_SAMPLE_REQUEST,
    source: `a default sample ${JSON.stringify(DEFAULT_SAMPLE_REQUEST)} (the service documents none; give one with --sample-request)`,
  };
}
