import { resolve } from "node:path";
import type { Command } from "commander";
import { quote } from "shell-quote";
import type { CommandLine } from "../journey/text/command-line.js";

/**
 * The command line a printed next step starts with: the flags that reach this run's Azure and journal (the
 * sandbox, the state directory given, as an absolute path), so the step works when pasted as printed.
 */
export function commandLineOf(cmd: Command, o: { sandbox: boolean }): CommandLine {
  const g = cmd.optsWithGlobals() as { stateDir?: string };
  const flags = [...(o.sandbox ? ["--sandbox"] : []), ...(g.stateDir ? ["--state-dir", resolve(g.stateDir)] : [])];
  const prefix = ["aci-migrate", ...(flags.length ? [quote(flags)] : [])].join(" ");
  const line = (args: string) => `${prefix} ${args}`;
  if (!o.sandbox || g.stateDir) return line;
  return Object.assign(line, {
    gone: "nothing (this sandbox lived in memory and ends with this run; start it with --state-dir DIR, as `npm start` does, to keep a migration you can resume)",
  });
}

/**
 * The same, read from the arguments as typed (for an error said before or outside a command's action: a failed
 * parse, a refused sign-in), so its next steps carry the flags of the run that hit it.
 */
export function commandLineOfArgs(argv: readonly string[]): CommandLine {
  const at = argv.findIndex((a) => a === "--state-dir" || a.startsWith("--state-dir="));
  const stateDir = at < 0 ? undefined : argv[at]!.startsWith("--state-dir=") ? argv[at]!.slice("--state-dir=".length) : argv[at + 1];
  const flags = [...(argv.includes("--sandbox") ? ["--sandbox"] : []), ...(stateDir ? ["--state-dir", resolve(stateDir)] : [])];
  const prefix = ["aci-migrate", ...(flags.length ? [quote(flags)] : [])].join(" ");
  return (args) => `${prefix} ${args}`;
}
