// The resolve hook of preload.mjs; it runs on the loader's own thread and appends each resolved URL.
import { appendFileSync } from "node:fs";

let file = "";
export function initialize(data) {
  file = data.file;
}
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(file, `${resolved.url}\n`);
  return resolved;
}
