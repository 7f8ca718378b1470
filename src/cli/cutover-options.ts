import { InvalidArgumentError, type Command } from "commander";
import ms from "ms";
import { UserFixableError } from "../domain/errors.js";
import type { SessionCutover } from "../session/session-file.js";

export interface CutoverFlags {
  trafficSteps?: number[];
  stepWait?: number;
  keepOld?: number;
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

/** `30s`, `10m`, `1h`, `2d` (or milliseconds as a number). */
function duration(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : ms(value.trim() as ms.StringValue);
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a duration such as 30s, 10m, 1h or 2d.");
  return n;
}

/** How a blue/green switch (a new VM size for a migrated service) moves the traffic. */
export function addCutoverOptions(cmd: Command): Command {
  return cmd
    .option(
      "--traffic-steps <list>",
      "where the endpoint has an old deployment: move the traffic in steps, e.g. 10,50,100 (each held --step-wait, then checked)",
      trafficSteps,
    )
    .option("--step-wait <duration>", "with --traffic-steps: how long each step is held before the next (default 5m)", duration)
    .option(
      "--keep-old <duration>",
      "with --traffic-steps: how long the old deployment is kept once the new one takes everything (default: until you delete it or roll back)",
      duration,
    );
}

/** What a session keeps of the flags (undefined without --traffic-steps). */
export function cutoverOfFlags(f: CutoverFlags): SessionCutover | undefined {
  if (!f.trafficSteps) {
    if (f.stepWait !== undefined || f.keepOld !== undefined) {
      throw new UserFixableError(
        `${f.stepWait !== undefined ? "--step-wait" : "--keep-old"} says how to move the traffic in steps, but --traffic-steps was not given.`,
        {
          nextStep: "Add --traffic-steps 10,50,100 (for example), or drop the flag.",
          kind: "input",
        },
      );
    }
    return undefined;
  }
  return { steps: f.trafficSteps, stepWaitMs: f.stepWait ?? 5 * 60_000, ...(f.keepOld !== undefined ? { keepOldMs: f.keepOld } : {}) };
}
