import { appendFileSync } from "node:fs";
import { join } from "node:path";
import type { SecretSource } from "./journal.js";
import { makeFolder } from "../fs/make-folder.js";

/** What stands in the file for a line that held a key (the journal's rule: no secret is ever written). */
export const WITHHELD_LINE = "[aci-migrate: a line that held a key of this migration was not written]";

/**
 * The whole of a deployment's container logs, kept on disk beside the session (`<id>.logs/`, 0700, files 0600)
 * while the screens keep only their last lines in memory. A line holding one of the run's secrets is replaced,
 * never written; names are reduced to safe file-name characters so no path leaves the folder.
 */
export function appendContainerLog(dir: string, name: readonly string[], lines: readonly string[], secrets: SecretSource): string {
  makeFolder(dir);
  const file = join(dir, `${name.map((part) => part.replace(/[^A-Za-z0-9_-]/g, "_")).join(".")}.log`);
  const held = secrets().filter(Boolean);
  const text = lines.map((line) => (held.some((s) => line.includes(s)) ? WITHHELD_LINE : line)).join("\n");
  appendFileSync(file, `${text}\n`, { mode: 0o600 });
  return file;
}
