import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { UserFixableError } from "../domain/errors.js";

/** Requests to replay, and where they came from (for the report). */
export interface RequestFile {
  readonly requests: readonly unknown[];
  readonly source: string;
}

const unreadable = (path: string, what: string, next: string) =>
  new UserFixableError(`Cannot read the requests in ${path}: ${what}.`, { nextStep: next, source: path, kind: "input" });

/**
 * `--requests PATH`: a folder of JSON bodies (each `*.json` file one request, in the order of their names), or a
 * JSON Lines file (a request body per line; blank lines skipped). A `.json` file is one request.
 */
export async function readRequests(path: string, limit?: number): Promise<RequestFile> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw unreadable(
      path,
      (e as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : (e as Error).message,
      "Pass a JSON Lines file or a folder of .json files.",
    );
  }
  const requests: unknown[] = [];
  if (info.isDirectory()) {
    const names = (await readdir(path)).filter((n) => n.toLowerCase().endsWith(".json")).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    for (const name of names) requests.push(parseBody(await readFile(join(path, name), "utf8"), join(path, name)));
  } else if (path.toLowerCase().endsWith(".json")) {
    requests.push(parseBody(await readFile(path, "utf8"), path));
  } else {
    const lines = (await readFile(path, "utf8")).split(/\r?\n/);
    lines.forEach((line, i) => {
      if (line.trim()) requests.push(parseBody(line, `${path}:${i + 1}`));
    });
  }
  if (!requests.length) {
    throw unreadable(
      path,
      info.isDirectory() ? "the folder holds no .json file" : "it holds no request",
      "Write a request body per line (JSON Lines), or put one .json file per request in a folder.",
    );
  }
  const kept = limit ? requests.slice(0, limit) : requests;
  return { requests: kept, source: `${basename(path)}${info.isDirectory() ? "/" : ""} (${kept.length} of ${requests.length})` };
}

function parseBody(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserFixableError(`The request at ${where} is not JSON: ${(e as Error).message}.`, {
      why: "Each request is replayed as the JSON body a caller sent.",
      nextStep: "Fix or remove that request; a JSON Lines file holds one JSON body per line.",
      source: where,
      kind: "input",
    });
  }
}
