import { runCli } from "../../src/cli/program.js";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI in this process (runCli never calls process.exit), capturing what it writes: for tests that
 * run hundreds of commands, where starting a Node process each time would take minutes.
 */
export async function runCliHere(argv: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  process.exitCode = undefined;
  try {
    const code = await runCli(argv, {
      out: (t) => void out.push(t.endsWith("\n") ? t : `${t}\n`),
      err: (t) => void err.push(t.endsWith("\n") ? t : `${t}\n`),
      decorated: false,
    });
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    process.exitCode = undefined;
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

/** Whether a message carries a stack trace or calls itself a bug: never acceptable for something a user did. */
export function looksLikeBug(text: string): boolean {
  return /Internal error|This is a bug|\n\s+at .+:\d+:\d+/.test(text);
}
