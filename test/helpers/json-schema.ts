import { Ajv2020 } from "ajv/dist/2020.js";
import { expect } from "vitest";
import { readJson } from "./fixtures.js";

/**
 * The documented `--json` shapes (docs/schema/aci-migrate.schema.json, the machine-readable half of docs/json.md),
 * checked with a standard JSON Schema validator so what the tests accept is what users' validators accept.
 */
const ajv = new Ajv2020({ allErrors: true, strict: true, discriminator: true });
ajv.addSchema(readJson("docs/schema/aci-migrate.schema.json") as object);

export type JsonShape =
  | "plan"
  | "error"
  | "listSubscriptions"
  | "listWorkspaces"
  | "services"
  | "event"
  | "migrateResult"
  | "sessions"
  | "migratePlansResult"
  | "sessionShow"
  | "sessionsForget"
  | "retire"
  | "rollback"
  | "skus"
  | "sandbox"
  | "compare"
  | "keys"
  | "audit";

/** Problems of `doc` against one documented shape (empty when it conforms). */
export function shapeProblems(doc: unknown, shape: JsonShape): string[] {
  const check = ajv.getSchema(`urn:aci-migrate:json-output:1#/$defs/${shape}`);
  if (!check) throw new Error(`docs/schema has no shape ${shape}`);
  return check(doc) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Parses stdout as one JSON document and checks it against its documented shape. */
export function documented<T = any>(stdout: string, shape: JsonShape): T {
  const doc = JSON.parse(stdout) as T;
  expect(shapeProblems(doc, shape), `${shape}: ${stdout.slice(0, 400)}`).toEqual([]);
  return doc;
}

/** Parses migrate/resume NDJSON: every line but the last is an event, the last the result; all documented. */
export function documentedStream(stdout: string): { events: any[]; result: any } {
  const lines = stdout.trim().split("\n");
  const events = lines.slice(0, -1).map((l) => {
    const doc = JSON.parse(l);
    expect(shapeProblems(doc, "event"), l.slice(0, 400)).toEqual([]);
    return doc.event;
  });
  return { events, result: documented(lines.at(-1)!, "migrateResult") };
}
