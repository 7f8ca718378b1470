import { UserFixableError } from "./errors.js";
import { printable } from "./printable.js";

/**
 * Reads typed values out of an untrusted JSON/YAML document. Unknown fields are ignored; a field of the
 * wrong type fails with its full path and the file it came from, so the user can go straight to it.
 * Keys are matched exactly first, then case-insensitively (v1 files in the wild mix `computeType`/`ComputeType`).
 */
export class FieldReader {
  constructor(
    private readonly value: Record<string, unknown>,
    readonly source: string,
    readonly path = "",
  ) {}

  static root(doc: unknown, source: string): FieldReader {
    if (!isPlainObject(doc)) {
      throw new UserFixableError(`${source} does not hold an object at the top level.`, {
        why: `It holds ${describe(doc)}.`,
        nextStep: "Point at the JSON or YAML file that the v1 tools wrote (a mapping of field names to values).",
        source,
        kind: "input",
      });
    }
    return new FieldReader(doc, source);
  }

  has(key: string): boolean {
    const v = this.raw(key);
    return v !== undefined && v !== null;
  }

  raw(key: string): unknown {
    if (key in this.value) return this.value[key];
    const lower = key.toLowerCase();
    for (const k of Object.keys(this.value)) if (k.toLowerCase() === lower) return this.value[k];
    return undefined;
  }

  fieldPath(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  fail(key: string, expected: string, got: unknown): never {
    const field = this.fieldPath(key);
    throw new UserFixableError(`${this.source}: field "${field}" should be ${expected}, but it is ${describe(got)}.`, {
      why: "aci-migrate reads this field to decide how to migrate the service.",
      // A missing field fails only where it is required: there is no default to fall back on.
      nextStep:
        got === undefined
          ? `Add "${field}" to ${this.source} and run the command again.`
          : `Fix "${field}" in ${this.source} (or remove it to take the SDK v1 default) and run the command again.`,
      source: this.source,
      field,
      kind: "input",
    });
  }

  string(key: string): string | undefined {
    const v = this.raw(key);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") this.fail(key, "a string", v);
    return v;
  }

  /** Numbers; numeric strings ("0.5") are accepted because hand-written YAML often quotes them. */
  number(key: string): number | undefined {
    const v = this.raw(key);
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
    return this.fail(key, "a number", v);
  }

  /** Booleans; "true"/"false" strings in any case are accepted (Python's str(True) is "True"). */
  boolean(key: string): boolean | undefined {
    const v = this.raw(key);
    if (v === undefined || v === null) return undefined;
    if (typeof v === "boolean") return v;
    if (typeof v === "string" && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === "true";
    return this.fail(key, "true or false", v);
  }

  object(key: string): FieldReader | undefined {
    const v = this.raw(key);
    if (v === undefined || v === null) return undefined;
    if (!isPlainObject(v)) this.fail(key, "an object", v);
    return new FieldReader(v, this.source, this.fieldPath(key));
  }

  array(key: string): unknown[] | undefined {
    const v = this.raw(key);
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.fail(key, "a list", v);
    return v;
  }

  /** A string → string map; non-string scalar values are stringified (YAML turns `1` into a number). */
  stringMap(key: string): Record<string, string> | undefined {
    const obj = this.object(key);
    if (!obj) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj.value)) {
      if (v === null || v === undefined) continue;
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = String(v);
      else obj.fail(k, "a string", v);
    }
    return out;
  }

  keys(): string[] {
    return Object.keys(this.value);
  }

  /** The untyped value, for fields carried through opaquely (e.g. conda dependencies). */
  get document(): Record<string, unknown> {
    return this.value;
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return "missing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "string") return `the text "${printable(v, 40)}"`;
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}
