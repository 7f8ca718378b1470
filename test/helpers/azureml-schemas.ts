import { Ajv, type ErrorObject } from "ajv";
import { readJson } from "./fixtures.js";

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validators = {
  deployment: ajv.compile(withoutMetaSchema(readJson("test/fixtures/azureml-schemas/managedOnlineDeployment.schema.json"))),
  endpoint: ajv.compile(withoutMetaSchema(readJson("test/fixtures/azureml-schemas/managedOnlineEndpoint.schema.json"))),
};

function withoutMetaSchema(schema: unknown): object {
  const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
  return rest;
}

/**
 * What Microsoft's vendored 2021 schema says against a document, leaving out the two places it is older than
 * today's syntax (see test/fixtures/azureml-schemas/README.md): a plain folder path in `code_configuration.code`,
 * and the endpoint's `public_network_access` (which replaced `allow_public_access`).
 */
export function azureMlSchemaProblems(kind: keyof typeof validators, doc: unknown): string[] {
  const validate = validators[kind];
  if (validate(doc)) return [];
  const newer = (e: ErrorObject) =>
    e.instancePath === "/code_configuration/code" ||
    (kind === "endpoint" && e.keyword === "additionalProperties" && e.params.additionalProperty === "public_network_access" && isEnabledOrDisabled(doc));
  return (validate.errors ?? []).filter((e) => !newer(e)).map((e) => `${e.instancePath} ${e.message}`);
}

/** azure-ai-ml's ManagedOnlineEndpointSchema takes `public_network_access` as enabled or disabled. */
function isEnabledOrDisabled(doc: unknown): boolean {
  return ["enabled", "disabled"].includes(String((doc as Record<string, unknown>).public_network_access));
}
