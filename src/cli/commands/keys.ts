import { Command } from "commander";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";

/** `keys`: a managed endpoint's key, for callers and for the callers' kit's commands (as `az ml online-endpoint get-credentials`). */
export function keysCommand(io: CommandIo, connect: Connect): Command {
  return new Command("keys")
    .description("Print a managed online endpoint's key (what callers send as Authorization: Bearer <key>).")
    .requiredOption("--endpoint <name>", "the managed online endpoint")
    .option("--secondary", "print the secondary key instead of the primary one")
    .option("--json", "print both keys as JSON")
    .addHelpText(
      "after",
      `
Examples (after the migrate example of \`aci-migrate migrate --help\`):
  $ aci-migrate --sandbox --state-dir .sandbox keys -w ml-prod-eastus --endpoint credit-2cpu-4gb-online
  $ KEY=$(aci-migrate --sandbox --state-dir .sandbox keys -w ml-prod-eastus --endpoint credit-2cpu-4gb-online)

The key goes to standard output only, for a variable or a secret store; nothing is written to disk.

Exit codes: 0 printed, 1 the endpoint has no keys (it authenticates with tokens) or Azure failed, 2 bad input.`,
    )
    .action((_local: unknown, cmd: Command) => import("../actions/keys.js").then((m) => m.runKeys(io, connect, cmd)));
}
