import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const repoPath = (rel: string) => fileURLToPath(new URL(`../../${rel}`, import.meta.url));
export const readJson = (rel: string): unknown => JSON.parse(readFileSync(repoPath(rel), "utf8"));
export const readYaml = (rel: string): unknown => parse(readFileSync(repoPath(rel), "utf8"));

/** Everything an async iterable yields (SDK pagers, our listings). */
export async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
