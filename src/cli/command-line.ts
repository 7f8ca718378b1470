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
