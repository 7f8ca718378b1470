import { InvalidArgumentError, type Command } from "commander";

export interface CutoverFlags {
  trafficSteps?: number[];
  /** Durations as typed (`30s`, `10m`, `1h`): read by the action (cutover-flags.ts), so --help loads no parser. */
  stepWait?: string;
  keepOld?: string;
}

/** `10,50,100`: the new deployment's share at each step, rising, ending at 100. */
function trafficSteps(value: string): number[] {
  const steps = value.split(",").map((v) => v.trim());
  const numbers = steps.map(Number);
  if (!steps.every((v) => /^\d+$/.test(v)) || numbers.some((n, i) => n < 1 || n > 100 || (i > 0 && n <= numbers[i - 1]!)) || numbers.at(-1) !== 100) {
    throw new InvalidArgumentError("expected rising percentages from 1 to 100 that end at 100, e.g. 10,50,100.");
  }
  return numbers;
}

/** How a blue/green switch (a new VM size for a migrated service) moves the traffic. */
export function addCutoverOptions(cmd: Command): Command {
  return cmd
    .option(
      "--traffic-steps <list>",
      "where the endpoint has an old deployment: move the traffic in steps, e.g. 10,50,100 (each held --step-wait, then checked)",
      trafficSteps,
    )
    .option("--step-wait <duration>", "with --traffic-steps: how long each step is held before the next (default 5m)")
    .option(
      "--keep-old <duration>",
      "with --traffic-steps: how long the old deployment is kept once the new one takes everything (default: until you delete it or roll back)",
    );
}
