import { Command } from "commander";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";

/**
 * `rollback`: deletes what a session created in Azure (its endpoints with their deployments, the code and model
 * versions it registered), only what carries that session's tag and nothing another deployment still uses,
 * after listing it. The v1 services are never touched.
 */
export function rollbackCommand(io: CommandIo, connect: Connect): Command {
  return new Command("rollback")
    .description("Undo a session: delete what it created in Azure (endpoints, deployments, code and model versions); the v1 services stay.")
    .argument("[id]", "the session (default, or `latest`: the newest one)")
    .option("--yes", "delete without asking (required when nobody is at a terminal)")
    .addHelpText(
      "after",
      `
It lists what it deletes and what it keeps (made by another session, or used by another deployment), then asks.

Examples (after the migrate example of \`aci-migrate migrate --help\`):
  $ aci-migrate --sandbox --state-dir .sandbox rollback latest --yes
  $ aci-migrate --sandbox --state-dir .sandbox rollback --yes --json

Exit codes: 0 rolled back (or nothing to delete), 1 failed, 2 bad input (no such session, --yes missing), 130 "no".`,
    )
    .action((id: string | undefined, _local: unknown, cmd: Command) =>
      import("../actions/rollback.js").then((m) => m.runRollback(io, connect, id, _local, cmd)),
    );
}
