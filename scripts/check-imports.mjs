#!/usr/bin/env node
// Enforces the layers of docs/architecture.md: which folder of src/ may import which, and where
// @azure/*, React/ink and I/O modules may appear. Prints each violation; exits 1 if any.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

// The tree to check: this repository, or the folder given as the first argument (the tests use that).
const root = process.argv[2] ? resolve(process.argv[2]) : resolve(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");

// Which project layers each layer may import (itself included).
const allowedLayers = {
  cli: ["cli", "journey", "ui", "migration", "session", "domain", "azure", "sandbox", "fs", "scan", "rehearse", "report"],
  // The journey, written once: it asks through the Prompter it owns (the faces implement it) and never renders.
  journey: ["journey", "migration", "session", "domain", "report"],
  // The ink face: implements the journey's Prompter.
  ui: ["ui", "journey", "migration", "session", "domain", "report"],
  migration: ["migration", "session", "domain", "scan", "report"],
  session: ["session", "domain", "fs"],
  domain: ["domain"],
  // fs: a snapshot's temporary folder, swept of dead processes' leftovers.
  azure: ["azure", "migration", "domain", "fs"],
  sandbox: ["sandbox", "domain", "fs", "python"],
  // Whole-or-nothing writes, their temporaries and process probes: shared by the journal and the sandbox.
  fs: ["fs"],
  // The scoring-script check: a real Python parser (WebAssembly) under the habit rules of domain/.
  scan: ["scan", "domain"],
  // The rehearsal: the service laid out and run on this machine (a harness, a virtual environment, Docker).
  rehearse: ["rehearse", "domain", "fs", "python"],
  // The harness process: a scoring script served by domain/python-harness.ts in an interpreter (rehearsal, sandbox).
  python: ["python", "domain"],
  // A replay's report files (Markdown, a self-contained HTML page): pure text from domain's figures.
  report: ["report", "domain"],
};
// Third-party and built-in modules that only some layers may use.
const restrictedPackages = [
  { test: (m) => m.startsWith("@azure/"), layers: ["azure"], why: "only src/azure talks to Azure SDKs" },
  {
    test: (m) => ["react", "ink", "ink-spinner", "ink-testing-library"].includes(m) || m.startsWith("react/"),
    layers: ["ui", "cli"],
    why: "React lives in src/ui (cli only mounts it)",
  },
  { test: (m) => m.startsWith("@inquirer/"), layers: ["cli"], why: "the inquirer face lives in src/cli/plain" },
  {
    test: (m) => /^(node:)?(fs|fs\/promises|net|http|https|http2|tls|child_process|dgram|dns|os|worker_threads|process)$/.test(m),
    layers: ["cli", "journey", "ui", "migration", "session", "azure", "sandbox", "fs", "rehearse", "python"],
    why: "src/domain is pure: no I/O",
  },
];

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : /\.(ts|tsx)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}
const layerOf = (file) => relative(src, file).split(sep)[0];
const importRe = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']|(?:^|\n)\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

const problems = [];
for (const file of walk(src)) {
  const layer = layerOf(file);
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3];
    const where = relative(root, file);
    if (spec.startsWith(".")) {
      const target = resolve(dirname(file), spec);
      const targetLayer = layerOf(target);
      if (!(allowedLayers[layer] ?? []).includes(targetLayer)) {
        problems.push(`${where}: src/${layer} must not import src/${targetLayer} ("${spec}")`);
      }
    } else {
      for (const rule of restrictedPackages) {
        if (rule.test(spec) && !rule.layers.includes(layer)) problems.push(`${where}: imports "${spec}": ${rule.why}`);
      }
    }
  }
}
if (problems.length) {
  console.error(`Import rules broken (docs/architecture.md):\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log("Import rules hold.");
