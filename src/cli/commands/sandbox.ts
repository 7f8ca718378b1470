import { Command, InvalidArgumentError } from "commander";
import { parseFaultSpec } from "../../sandbox/faults.js";
import type { CommandIo } from "../io.js";
import { wholeNumber } from "../options.js";

function speedOption(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError("expected a number greater than 0 (1 = Azure's pace, 20 = demo).");
  return n;
}

function faultsOption(value: string) {
  try {
    return parseFaultSpec(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** `aci-migrate sandbox`: the embedded Azure in the foreground, for other processes, curl, or a demo. */
export function sandboxCommand(io: CommandIo, signals: NodeJS.EventEmitter = process): Command {
  return new Command("sandbox")
    .description("Run the embedded Azure sandbox (ARM, v1 model management, blob, scoring over HTTPS on 127.0.0.1) until stopped.")
    .option("--port <n>", "port to listen on (0 = any free port)", wholeNumber, 0)
    .option("--speed <x>", "divide provisioning times by this (1 = Azure's pace, 20 = demo)", speedOption, 20)
    .option("--faults <spec>", "inject faults, e.g. 429@0.2,503@OnlineEndpoints_Get*2,drop@0.05,latency=200,seed=7", faultsOption)
    .addHelpText(
      "after",
      `
Examples:
  $ aci-migrate sandbox --port 0 --json
  $ aci-migrate --state-dir .sandbox sandbox --speed 1

The first line gives armEndpoint, caFile and token: all another process needs to connect, e.g.
  curl --cacert CAFILE -H "Authorization: Bearer TOKEN" "ARMENDPOINT/subscriptions?api-version=2022-12-01"
With --state-dir the world persists, and \`aci-migrate --sandbox --state-dir DIR …\` attaches to it.

Exit codes: 0 stopped (Ctrl+C), 1 could not start (port in use, state directory taken), 2 bad input.`,
    )
    .action((_local: unknown, cmd: Command) => import("../actions/sandbox.js").then((m) => m.serveSandbox(io, cmd, signals)));
}
