#!/usr/bin/env node
// Lists installed packages whose `engines.node` excludes the oldest Node we support.
// Several @azure/core-* releases moved to Node >= 22 in minor versions, so a fresh
// resolution can silently pull them in; package.json "overrides" pin them back.
import { readFileSync } from "node:fs";

const floor = process.argv[2] ?? "20.19.0";
const lock = JSON.parse(readFileSync(new URL("../package-lock.json", import.meta.url), "utf8"));

function parse(v) {
  return v.split(".").map((n) => Number.parseInt(n, 10) || 0);
}
function cmp(a, b) {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}
// Enough of semver ranges for engines fields: alternatives with ||, each a set of >=, >, ^, ~, <, or a bare version.
function satisfies(version, range) {
  const v = parse(version);
  return range.split("||").some((alt) =>
    alt
      .trim()
      .replace(/(>=|<=|>|<|=)\s+/g, "$1")
      .split(/\s+/)
      .filter(Boolean)
      .every((part) => {
        const m = /^(>=|<=|>|<|\^|~|=)?v?([\d.x*]+)$/.exec(part);
        if (!m) return true;
        const op = m[1] ?? "=";
        const want = parse(m[2].replace(/[x*]/g, "0"));
        const c = cmp(v, want);
        if (op === ">=") return c >= 0;
        if (op === ">") return c > 0;
        if (op === "<=") return c <= 0;
        if (op === "<") return c < 0;
        if (op === "^") return c >= 0 && v[0] === want[0];
        if (op === "~") return c >= 0 && v[0] === want[0] && v[1] === want[1];
        return m[2].includes("x") || m[2].includes("*") ? v[0] === want[0] : c === 0;
      }),
  );
}

const bad = [];
for (const [path, pkg] of Object.entries(lock.packages ?? {})) {
  if (!path || pkg.dev) continue;
  const range = pkg.engines?.node;
  if (typeof range === "string" && !satisfies(floor, range)) bad.push(`${path.replace(/^node_modules\//, "")}@${pkg.version} needs node ${range}`);
}
if (bad.length) {
  console.error(`Runtime packages that do not run on Node ${floor}:\n  ${bad.join("\n  ")}`);
  process.exit(1);
}
console.log(`All runtime packages accept Node ${floor}.`);
