/**
 * The sample input a v1 service documents in its generated swagger (inference-schema puts the scoring script's
 * input sample under `definitions.ServiceInput.example`; OpenAPI 3 variants under `components.schemas`).
 * Undefined when the document has none: the service's script declared no schema.
 */
export function sampleFromV1Swagger(doc: unknown): unknown {
  if (!isObject(doc)) return undefined;
  const schemas = isObject(doc.definitions)
    ? doc.definitions
    : isObject(doc.components) && isObject(doc.components.schemas)
      ? doc.components.schemas
      : undefined;
  if (!schemas) return undefined;
  const name = scoreInputSchemaName(doc) ?? "ServiceInput";
  const schema = schemas[name];
  return isObject(schema) && "example" in schema && schema.example !== null ? schema.example : undefined;
}

/** The schema `/score`'s body refers to (swagger 2 `parameters[in=body]`, OpenAPI 3 `requestBody`). */
function scoreInputSchemaName(doc: Record<string, unknown>): string | undefined {
  const post = isObject(doc.paths) && isObject(doc.paths["/score"]) && isObject(doc.paths["/score"].post) ? doc.paths["/score"].post : undefined;
  if (!post) return undefined;
  const body = Array.isArray(post.parameters) ? post.parameters.find((p) => isObject(p) && p.in === "body") : undefined;
  const openApi3 = isObject(post.requestBody) && isObject(post.requestBody.content) ? post.requestBody.content["application/json"] : undefined;
  const schema = isObject(body) ? body.schema : isObject(openApi3) ? openApi3.schema : undefined;
  const ref = isObject(schema) && typeof schema.$ref === "string" ? schema.$ref : undefined;
  return ref?.split("/").pop();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
