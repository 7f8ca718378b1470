import { InvalidArgumentError, type Command } from "commander";
import { UserFixableError } from "../domain/errors.js";

/** Commander argument parser for whole numbers, so "--instances abc" fails as a usage error naming the flag. */
export function wholeNumber(value: string): number {
  if (!/^\s*\d+\s*$/.test(value)) throw new InvalidArgumentError("expected a whole number.");
  return Number(value);
}

/** Commander argument parser for counts that must be at least one (requests or services at once). */
export function atLeastOne(value: string): number {
  const n = wholeNumber(value);
  if (n < 1) throw new InvalidArgumentError("expected a whole number of 1 or more.");
  return n;
}

/** Commander argument parser for positive decimals (CPU cores, GB). */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!/^\s*\d*\.?\d+\s*$/.test(value) || !(n > 0)) throw new InvalidArgumentError("expected a number greater than 0.");
  return n;
}

/** Commander collector for repeatable options (`--acknowledge a --acknowledge b`, or `--acknowledge a,b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

/**
 * Who can answer questions, and how: the wizard (ink, raw-mode keys) needs both ends to be a terminal that can
 * redraw; plain mode (one question after another, no redraw) needs only a person at stdin, and is what
 * `--plain` or a dumb terminal (`TERM=dumb`, screen readers' shells) asks for; "none" means no one can answer.
 */
export function chooseFrontEnd(
  o: { plain?: boolean },
  env: NodeJS.ProcessEnv = process.env,
  stdin: { isTTY?: boolean } = process.stdin,
  stdout: { isTTY?: boolean } = process.stdout,
): "wizard" | "plain" | "none" {
  if (!stdin.isTTY) return "none";
  if (o.plain || env.TERM === "dumb" || !stdout.isTTY) return "plain";
  return "wizard";
}

/** The flags every command takes, wherever they stand on the command line (`az` puts them anywhere too). */
export interface GlobalOptions {
  sandbox?: boolean;
  stateDir?: string;
  cloud?: string;
  tenant?: string;
  verbose?: boolean;
  subscription?: string;
  resourceGroup?: string;
  workspace?: string;
  json?: boolean;
  plain?: boolean;
  /** false with --no-logs. */
  logs?: boolean;
}

/** A command's own options merged with the global ones (the program parses those wherever they appear). */
export function optionsOf<T>(cmd: Command): T & GlobalOptions {
  return cmd.optsWithGlobals() as T & GlobalOptions;
}

/** `-w` is global, so commands that need it say so themselves (commander's required options are per command). */
export function requireWorkspace(workspace: string | undefined, command: string): asserts workspace is string {
  if (!workspace) {
    throw new UserFixableError(`${command} needs the workspace: -w/--workspace is missing.`, {
      nextStep: "Pass -w NAME (list them with `aci-migrate list workspaces`).",
      source: "command line",
      field: "--workspace",
      kind: "input",
    });
  }
}
