import { readFileSync } from "node:fs";
import { repoPath } from "./fixtures.js";

/**
 * A small Swagger 2.0 response validator for the sandbox's contract tests: $ref (local and the common types),
 * allOf, discriminators (x-ms-discriminator-value), required, types and formats, enums (closed unless
 * modelAsString), items, additionalProperties. Null is accepted where the property is optional or x-nullable,
 * as Azure's services send null for unset fields.
 */
type Schema = Record<string, any>;
interface SpecFile {
  name: string;
  doc: Schema;
}

const load = (name: string): SpecFile => ({ name, doc: JSON.parse(readFileSync(repoPath(`test/fixtures/swagger/${name}`), "utf8")) });
const common = JSON.parse(readFileSync(repoPath("test/fixtures/swagger/common-types.json"), "utf8"));
const commonFiles: Record<string, SpecFile> = {
  "types.json": { name: "types.json", doc: { definitions: common["types.json"] } },
  "managedidentity.json": { name: "managedidentity.json", doc: { definitions: common["managedidentity.json"] } },
};
const SPECS = [load("mfe.json"), load("machineLearningServices.json"), load("modelManagement.json")];

interface Located {
  schema: Schema;
  file: SpecFile;
}

function resolve(ref: string, from: SpecFile): Located {
  const [filePart, pointer = ""] = ref.split("#");
  const file = filePart ? commonFiles[filePart.split("/").pop()!] : from;
  if (!file) throw new Error(`unresolvable $ref ${ref}`);
  let node: any = file.doc;
  for (const seg of pointer.split("/").filter(Boolean)) node = node?.[seg];
  if (!node) throw new Error(`dangling $ref ${ref} in ${from.name}`);
  return { schema: node, file };
}

export function findOperation(operationId: string): { op: Schema; file: SpecFile } | undefined {
  for (const file of SPECS) {
    for (const methods of Object.values(file.doc.paths ?? {}) as Schema[]) {
      for (const [method, op] of Object.entries(methods)) {
        if (method !== "parameters" && (op as Schema).operationId === operationId) return { op: op as Schema, file };
      }
    }
  }
  return undefined;
}

export function responseSchema(operationId: string, status: number): Located | null | undefined {
  const found = findOperation(operationId);
  if (!found) return undefined;
  const response = found.op.responses[String(status)] ?? found.op.responses.default;
  if (!response) return undefined;
  return response.schema ? { schema: response.schema, file: found.file } : null;
}

function subtypeFor(base: string, value: string, file: SpecFile): string | undefined {
  const defs = file.doc.definitions ?? {};
  for (const [name, def] of Object.entries(defs) as [string, Schema][]) {
    const extendsBase = (def.allOf ?? []).some((a: Schema) => a.$ref === `#/definitions/${base}`);
    if (extendsBase && (def["x-ms-discriminator-value"] ?? name) === value) return name;
  }
  return undefined;
}

function baseName(ref: string | undefined): string | undefined {
  return ref?.split("/").pop();
}

export function validate(value: unknown, located: Located, path = "$", nullable = true, seen = new Set<string>()): string[] {
  let { schema, file } = located;
  let refName: string | undefined;
  if (schema.$ref) {
    refName = baseName(schema.$ref);
    ({ schema, file } = resolve(schema.$ref, file));
  }
  if (value === null) return nullable || schema["x-nullable"] ? [] : [`${path}: null where a value is required`];

  // A discriminated base: validate against the subtype the value names.
  if (schema.discriminator && refName && value && typeof value === "object") {
    const tag = (value as Record<string, unknown>)[schema.discriminator];
    if (typeof tag === "string") {
      const sub = subtypeFor(refName, tag, file);
      const key = `${file.name}#${sub}`;
      if (sub && !seen.has(key)) return validate(value, { schema: { $ref: `#/definitions/${sub}` }, file }, path, nullable, new Set([...seen, key]));
    }
  }

  const errors: string[] = [];
  const allProps: Record<string, { schema: Schema; file: SpecFile }> = {};
  const required = new Set<string>(schema.required ?? []);
  const additional: Schema | boolean | undefined = schema.additionalProperties;
  for (const part of schema.allOf ?? []) {
    const base = part.$ref ? resolve(part.$ref, file) : { schema: part, file };
    // Validate the base's own rules (types, its allOf chain) but collect its properties for the extras check.
    collectProps(base, allProps, required);
    errors.push(...validate(value, { schema: { ...base.schema, additionalProperties: undefined, required: [] }, file: base.file }, path, nullable, seen));
  }
  for (const [k, v] of Object.entries(schema.properties ?? {})) allProps[k] = { schema: v as Schema, file };

  const type = schema.type ?? (schema.properties || schema.allOf ? "object" : undefined);
  switch (type) {
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) return [`${path}: expected an object, got ${Array.isArray(value) ? "an array" : typeof value}`];
      const obj = value as Record<string, unknown>;
      // Secrets and write-only properties are never returned in responses, required or not.
      const writeOnly = (k: string) => {
        const p = allProps[k]?.schema;
        return Boolean(p && (p["x-ms-secret"] || (p["x-ms-mutability"] && !p["x-ms-mutability"].includes("read"))));
      };
      for (const r of required) if (obj[r] === undefined && !writeOnly(r)) errors.push(`${path}: missing required "${r}"`);
      for (const [k, v] of Object.entries(obj)) {
        if (writeOnly(k) && v !== null && v !== undefined) errors.push(`${path}.${k}: a secret or write-only property was returned`);
        const prop = allProps[k];
        if (prop) errors.push(...validate(v, prop, `${path}.${k}`, !required.has(k), seen));
        else if (additional && typeof additional === "object") errors.push(...validate(v, { schema: additional, file }, `${path}.${k}`, true, seen));
        else if (additional === false) errors.push(`${path}: unexpected property "${k}"`);
      }
      break;
    }
    case "array":
      if (!Array.isArray(value)) return [`${path}: expected an array`];
      value.forEach((item, i) => errors.push(...validate(item, { schema: schema.items ?? {}, file }, `${path}[${i}]`, true, seen)));
      break;
    case "string":
      if (typeof value !== "string") return [`${path}: expected a string, got ${typeof value}`];
      if (schema.format === "date-time" && Number.isNaN(Date.parse(value))) errors.push(`${path}: "${value}" is not a date-time`);
      if (schema.format === "uuid" && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value))
        errors.push(`${path}: "${value}" is not a uuid`);
      if (schema.format === "duration" && !/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(value))
        errors.push(`${path}: "${value}" is not an ISO 8601 duration`);
      if (schema.enum && schema["x-ms-enum"]?.modelAsString !== true && !schema.enum.includes(value))
        errors.push(`${path}: "${value}" is not one of ${schema.enum.join(", ")}`);
      break;
    case "integer":
      if (!Number.isInteger(value)) errors.push(`${path}: expected an integer, got ${JSON.stringify(value)}`);
      break;
    case "number":
      if (typeof value !== "number") errors.push(`${path}: expected a number, got ${typeof value}`);
      break;
    case "boolean":
      if (typeof value !== "boolean") errors.push(`${path}: expected a boolean, got ${typeof value}`);
      break;
  }
  return errors;
}

function collectProps(located: Located, into: Record<string, { schema: Schema; file: SpecFile }>, required: Set<string>): void {
  let { schema, file } = located;
  if (schema.$ref) ({ schema, file } = resolve(schema.$ref, file));
  for (const part of schema.allOf ?? []) collectProps(part.$ref ? resolve(part.$ref, file) : { schema: part, file }, into, required);
  for (const [k, v] of Object.entries(schema.properties ?? {})) into[k] = { schema: v as Schema, file };
  for (const r of schema.required ?? []) required.add(r);
}
