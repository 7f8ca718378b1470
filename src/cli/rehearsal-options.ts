import { InvalidArgumentError, type Command } from "commander";
import type { RunnerChoice } from "../domain/rehearsal.js";

export interface RehearsalFlags {
  runner?: RunnerChoice;
  python?: string;
}

const RUNNERS: readonly RunnerChoice[] = ["auto", "docker", "venv", "python"];

function runnerChoice(value: string): RunnerChoice {
  if (!(RUNNERS as readonly string[]).includes(value)) throw new InvalidArgumentError(`Choose one of ${RUNNERS.join(", ")}.`);
  return value as RunnerChoice;
}

/** How a rehearsal runs: the runner (the best available by default) and an interpreter to use. */
export function addRehearsalOptions(cmd: Command): Command {
  return cmd
    .option(
      "--runner <runner>",
      "how to run it: auto (Docker or Podman, else a virtual environment built from the environment, else Python as it is), docker, venv or python",
      runnerChoice,
    )
    .option("--python <path>", "run with this Python interpreter as it is (with --runner venv: build the virtual environment from it)");
}
