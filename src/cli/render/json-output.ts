import { JSON_OUTPUT_VERSION } from "../../journey/text/json-version.js";
import { writeData, type CommandIo } from "../io.js";

/**
 * Version of every `--json` shape (docs/json.md; docs/schema/aci-migrate.schema.json is its machine-readable
 * form). Fields may be added within a version; bump it when one changes meaning or disappears.
 */
export { JSON_OUTPUT_VERSION };

/** A top-level JSON document as the commands print it: `schemaVersion` first, then the body. */
export function versioned<T extends object>(body: T): { schemaVersion: number } & T {
  return { schemaVersion: JSON_OUTPUT_VERSION, ...body };
}

/** Prints one JSON document on stdout: indented for people, or one line (`compact`, as NDJSON's last line). */
export function printJson(io: CommandIo, body: object, o: { compact?: boolean } = {}): void {
  writeData(io, JSON.stringify(versioned(body), null, o.compact ? undefined : 2));
}
