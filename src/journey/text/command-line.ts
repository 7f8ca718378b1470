/**
 * How a command the tool prints for the person is written: `aci-migrate` with the flags that make it reach the
 * same place this run does (the sandbox, the state directory), so it works when pasted as printed. `gone` says
 * why a follow-up cannot work at all (a sandbox that lived in memory ends with the run).
 */
export interface CommandLine {
  (args: string): string;
  readonly gone?: string;
}

export const bareCommandLine: CommandLine = (args) => `aci-migrate ${args}`;

/** A follow-up on this run's resources (resume, retire): the command to paste, or why there is none. */
export function followUp(command: CommandLine, args: string): string {
  return command.gone ?? command(args);
}

/**
 * A message's commands (`aci-migrate …` in backticks) written with this run's flags, so a next step said deep in
 * the engine or the journal works pasted as printed. One that sets its own flags (`aci-migrate --state-dir DIR
 * sandbox`) is left as it is.
 */
export function withCommandLine(text: string, command: CommandLine | undefined): string {
  if (!command) return text;
  return text.replace(/`aci-migrate ([a-z][^`]*)`/g, (_all, args: string) => `\`${command(args)}\``);
}
