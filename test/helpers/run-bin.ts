import { execFile } from "node:child_process";
import { repoPath } from "./fixtures.js";

export interface BinResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built binary (bin/aci-migrate.js) as a user would, without CI set and with no TTY. */
export function runBin(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<BinResult> {
  const env = { ...process.env, ...options.env };
  delete env.CI;
  return new Promise((resolve) => {
    execFile(process.execPath, [repoPath("bin/aci-migrate.js"), ...args], { cwd: options.cwd ?? repoPath(""), env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
