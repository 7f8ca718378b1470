import { InvalidArgumentError } from "commander";

/** Commander argument parser for whole numbers, so "--instances abc" fails as a usage error naming the flag. */
export function wholeNumber(value: string): number {
  if (!/^\s*\d+\s*$/.test(value)) throw new InvalidArgumentError("expected a whole number.");
  return Number(value);
}

/** Commander argument parser for positive decimals (CPU cores, GB). */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!/^\s*\d*\.?\d+\s*$/.test(value) || !(n > 0)) throw new InvalidArgumentError("expected a number greater than 0.");
  return n;
}

/** Commander collector for repeatable options (`--acknowledge a --acknowledge b`, or `--acknowledge a,b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(",").map((v) => v.trim()).filter(Boolean)];
}

/** Whether a person is at a terminal: the wizard (raw-mode keys) needs both ends to be one. */
export function isInteractiveTerminal(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && process.env.TERM !== "dumb";
}
