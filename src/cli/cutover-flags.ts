import ms from "ms";
import { UserFixableError } from "../domain/errors.js";
import type { SessionCutover } from "../session/session-file.js";
import type { CutoverFlags } from "./cutover-options.js";

/** `30s`, `10m`, `1h`, `2d` (or milliseconds as a number) for the flag that gave it. */
function duration(flag: string, value: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : ms(value.trim() as ms.StringValue);
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0) {
    throw new UserFixableError(`${flag} ${value} is not a duration.`, {
      nextStep: `Write it as 30s, 10m, 1h or 2d.`,
      source: "command line",
      field: flag,
      kind: "input",
    });
  }
  return n;
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
  return {
    steps: f.trafficSteps,
    stepWaitMs: f.stepWait !== undefined ? duration("--step-wait", f.stepWait) : 5 * 60_000,
    ...(f.keepOld !== undefined ? { keepOldMs: duration("--keep-old", f.keepOld) } : {}),
  };
}
