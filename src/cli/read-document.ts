import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parseDocument } from "yaml";
import { UserFixableError } from "../domain/errors.js";

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
    throw new UserFixableError(`Cannot read the ${what} ${path}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : code === "EACCES" ? "permission denied" : (e as Error).message}.`, {
      nextStep: `Check the path and pass the ${what} file itself.`,
      source: path,
      kind: "input",
    });
  }
  text = text.replace(/^\uFEFF/, ""); // Windows editors save JSON with a byte-order mark
  if (!text.trim()) {
    throw new UserFixableError(`The ${what} ${path} is empty.`, { nextStep: `Pass a ${what} with content.`, source: path, kind: "input" });
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
  return doc.toJS();
}

function syntaxError(path: string, what: string, detail: string): UserFixableError {
  return new UserFixableError(`The ${what} ${path} is not valid ${extname(path).toLowerCase() === ".json" ? "JSON" : "YAML or JSON"}: ${detail}.`, {
    nextStep: "Fix the syntax (an editor with JSON/YAML checking shows where) and run the command again.",
    source: path,
    kind: "input",
  });
}
