import { Command } from "commander";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { collect } from "../options.js";

/**
 * `retire`: deletes old ACI services once each one's migration is proven — a session migrated it, the smoke test
 * passed, and its endpoint takes 100% of the traffic now — unless --force.
 */
export function retireCommand(io: CommandIo, connect: Connect): Command {
  return new Command("retire")
    .description("Delete the old ACI service after its migration took all traffic and passed the smoke test.")
    .requiredOption("--service <name>", "the ACI service to delete (repeatable: several at once, each proven first)", collect)
    .option("--yes", "delete without asking (required: this cannot be undone)")
    .option("--force", "delete even without a proven migration (no session, or traffic not on the new endpoint)")
    .addHelpText(
      "after",
      `
Examples (after the migrate example of \`aci-migrate migrate --help\`):
  $ aci-migrate --sandbox --state-dir .sandbox retire -w ml-prod-eastus --service credit-2cpu-4gb --yes
  Several at once (none is deleted unless each is proven, or --force):
  $ aci-migrate --sandbox --state-dir .sandbox retire -w ml-prod-eastus --service churn-keyauth --service iris-noauth --yes

Exit codes: 0 deleted, 1 refused (not migrated yet) or failed, 2 bad input (or --yes missing).`,
    )
    .action((_local: unknown, cmd: Command) => import("../actions/retire.js").then((m) => m.runRetire(io, connect, _local, cmd)));
}
