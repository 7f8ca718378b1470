import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parseDocument } from "yaml";
import { UserFixableError } from "../domain/errors.js";
import { printable } from "../domain/printable.js";

/**
 * Reads a JSON or YAML file (chosen by extension; anything else is tried as YAML, which also reads JSON).
 * Every failure names the file and says what to do, and a syntax error gives its line and column.
 */
export async function readDocument(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserFixableError(
      `Cannot read the ${what} ${path}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : code === "EACCES" ? "permission denied" : (e as Error).message}.`,
      {
        nextStep: `Check the path and pass the ${what} file itself.`,
        source: path,
        kind: "input",
      },
    );
  }
  text = text.replace(/^\uFEFF/, ""); // Windows editors save JSON with a byte-order mark
  if (!text.trim()) {
    throw new UserFixableError(`The ${what} ${path} is empty.`, { nextStep: `Pass a ${what} with content.`, source: path, kind: "input" });
  }
  if (looksBinary(text)) {
    throw new UserFixableError(`The ${what} ${path} is not text (it holds binary data).`, {
      nextStep: `Pass the ${what} file itself, not an archive or a binary file.`,
      source: path,
      kind: "input",
    });
  }
  // Parsers recurse per level: a file of thousands of nested brackets can exhaust the stack (or crash V8 outright)
  // before any parser reports an error, so it is refused first. v1 files nest a handful of levels.
  if (bracketDepth(text) > MAX_NESTING) {
    throw new UserFixableError(`The ${what} ${path} nests lists or mappings more than ${MAX_NESTING} levels deep.`, {
      why: "No v1 service or deployment file nests that deep; such a file is damaged or built to exhaust the parser.",
      nextStep: `Pass the ${what} file that the v1 tools wrote.`,
      source: path,
      kind: "input",
    });
  }
  if (extname(path).toLowerCase() === ".json") {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw syntaxError(path, what, (e as Error).message);
    }
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  if (doc.errors.length) {
    const first = doc.errors[0]!;
    const pos = first.linePos?.[0];
    throw syntaxError(path, what, `${first.code}${pos ? ` at line ${pos.line}, column ${pos.col}` : ""}`);
  }
  try {
    // A few aliases are normal YAML; thousands (an "alias bomb") would expand to gigabytes, so the expansion is capped.
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    throw new UserFixableError(`The ${what} ${path} expands its YAML aliases (*name) too far: ${(e as Error).message}.`, {
      why: `aci-migrate expands at most ${MAX_YAML_ALIASES} aliases, which a v1 service file never needs; more usually means a file built to exhaust memory.`,
      nextStep: "Write the values out instead of through aliases, or pass the JSON that the v1 tools wrote.",
      source: path,
      kind: "input",
    });
  }
}

const MAX_YAML_ALIASES = 100;
const MAX_NESTING = 100;

/** The deepest nesting of `[`/`{` in the text, outside double-quoted strings (a bound, not a parse). */
function bracketDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "[" || c === "{") deepest = Math.max(deepest, ++depth);
    else if ((c === "]" || c === "}") && depth > 0) depth--;
  }
  return deepest;
}

function syntaxError(path: string, what: string, detail: string): UserFixableError {
  return new UserFixableError(
    `The ${what} ${path} is not valid ${extname(path).toLowerCase() === ".json" ? "JSON" : "YAML or JSON"}: ${printable(detail, 200)}.`,
    {
      nextStep: "Fix the syntax (an editor with JSON/YAML checking shows where) and run the command again.",
      source: path,
      kind: "input",
    },
  );
}

/** NUL and other C0 controls (tab, newlines, form feed aside) or undecodable bytes: not a text file. */
function looksBinary(text: string): boolean {
  if (text.includes("\ufffd")) return true;
  for (let i = 0; i < Math.min(text.length, 8192); i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) return true;
  }
  return false;
}
