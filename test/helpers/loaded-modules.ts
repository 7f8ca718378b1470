import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoPath } from "./fixtures.js";

export interface LoadedModules {
  /** The packages the process loaded (`ink`, `@azure/identity`, …), in the order first loaded. */
  readonly packages: readonly string[];
  readonly code: number | null;
  readonly output: string;
}

/** `node_modules/@scope/name/…` or `node_modules/name/…` → the package's name (the last node_modules wins). */
export function packageOf(urlOrPath: string): string | undefined {
  const tail = urlOrPath.split("node_modules/").at(-1);
  if (tail === undefined || tail === urlOrPath) return undefined;
  const parts = tail.split("/");
  return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
}

/**
 * Runs the built binary with a module recorder preloaded (`node --import`), and reports every package it loaded.
 * With `terminal`, it runs in a pseudo-terminal (`script`) and is stopped once its output shows `until`.
 */
export function modulesLoadedBy(
  args: readonly string[],
  options: { terminal?: boolean; until?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<LoadedModules> {
  const dir = mkdtempSync(join(tmpdir(), "aci-loaded-"));
  const file = join(dir, "modules.txt");
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, LOADED_MODULES_FILE: file };
  delete env.CI;
  const argv = [process.execPath, "--import", repoPath("test/helpers/loaded-modules/preload.mjs"), repoPath("bin/aci-migrate.js"), ...args];
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const child = options.terminal
    ? spawn("script", ["-qfec", `stty cols 100 rows 40; ${quoted}`, "/dev/null"], { env, cwd: repoPath(""), stdio: ["pipe", "pipe", "pipe"] })
    : spawn(argv[0]!, argv.slice(1), { env, cwd: repoPath(""), stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`no "${options.until}" within 30 s:\n${output.slice(-500)}`))), 30_000);
    const read = (d: Buffer) => {
      output += d.toString("utf8");
      if (options.until && output.includes(options.until)) child.kill("SIGKILL");
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.on("close", (code) => {
      clearTimeout(timer);
      let lines: string[] = [];
      try {
        lines = readFileSync(file, "utf8").split("\n");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const packages = [...new Set(lines.map(packageOf).filter((p): p is string => p !== undefined))];
      resolve({ packages, code, output });
    });
  });
}
