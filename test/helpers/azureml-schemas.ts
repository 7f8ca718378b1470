import { Ajv } from "ajv";
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
 * What Microsoft's vendored 2021 schema says against a document, leaving out the one place it is older than
 * today's syntax (see test/fixtures/azureml-schemas/README.md): a plain folder path in `code_configuration.code`.
 */
export function azureMlSchemaProblems(kind: keyof typeof validators, doc: unknown): string[] {
  const validate = validators[kind];
  if (validate(doc)) return [];
  return (validate.errors ?? []).filter((e) => e.instancePath !== "/code_configuration/code").map((e) => `${e.instancePath} ${e.message}`);
}
