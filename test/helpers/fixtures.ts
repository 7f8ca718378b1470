import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const repoPath = (rel: string) => fileURLToPath(new URL(`../../${rel}`, import.meta.url));
export const readJson = (rel: string): unknown => JSON.parse(readFileSync(repoPath(rel), "utf8"));
export const readYaml = (rel: string): unknown => parse(readFileSync(repoPath(rel), "utf8"));
