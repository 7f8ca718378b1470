import { resolve } from "node:path";
import type { Command } from "commander";
import { quote } from "shell-quote";
import type { CommandLine } from "../journey/text/command-line.js";

/**
 * The command line a printed next step starts with: the flags that reach this run's Azure and journal (the
 * sandbox, the state directory given, as an absolute path) and plain mode when it was asked for and the step may
 * ask (pasted, a resume line must not open the ink wizard on a screen reader's terminal), so the step works when
 * pasted as printed. A sandbox
 * without a state directory lives in memory: its follow-ups say so instead.
 */
function commandLine(o: { sandbox: boolean; stateDir?: string; plain?: boolean; logs?: boolean }): CommandLine {
  const flags = [...(o.sandbox ? ["--sandbox"] : []), ...(o.stateDir ? ["--state-dir", resolve(o.stateDir)] : [])];
  // --no-logs goes with --plain: a screen reader's resume stays as quiet as the run it continues.
  const quiet = [...(o.plain ? ["--plain"] : []), ...(o.plain && o.logs === false ? ["--no-logs"] : [])];
  const prefix = (asks: boolean) => ["aci-migrate", ...(flags.length ? [quote(flags)] : []), ...(asks ? quiet : [])].join(" ");
  // A command given --yes or --json asks nothing, so it needs no --plain.
  const line = (args: string) => `${prefix(!/(^| )--(yes|json)( |$)/.test(args))} ${args}`;
  if (!o.sandbox || o.stateDir) return line;
  return Object.assign(line, {
    gone: "nothing (this sandbox lived in memory and ends with this run; start it with --state-dir DIR, as `npm start` does, to keep a migration you can resume)",
  });
}

/** For a command's action: its global flags, and whether it reached the sandbox. */
export function commandLineOf(cmd: Command, o: { sandbox: boolean }): CommandLine {
  const g = cmd.optsWithGlobals() as { stateDir?: string; plain?: boolean; logs?: boolean };
  return commandLine({ sandbox: o.sandbox, stateDir: g.stateDir, plain: g.plain, logs: g.logs });
}

/**
 * The same, read from the arguments as typed (for an error said before or outside a command's action: a failed
 * parse, a refused sign-in), so its next steps carry the flags of the run that hit it.
 */
export function commandLineOfArgs(argv: readonly string[]): CommandLine {
  const at = argv.findIndex((a) => a === "--state-dir" || a.startsWith("--state-dir="));
  const stateDir = at < 0 ? undefined : argv[at]!.startsWith("--state-dir=") ? argv[at]!.slice("--state-dir=".length) : argv[at + 1];
  return commandLine({
    sandbox: argv.includes("--sandbox"),
    stateDir: stateDir ?? process.env.ACI_MIGRATE_STATE_DIR,
    plain: argv.includes("--plain"),
    logs: !argv.includes("--no-logs"),
  });
}
