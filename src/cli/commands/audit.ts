import { Command } from "commander";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";

/** `aci-migrate audit`: every v1 web service the account can see, where each stands, as a report to decide from. */
export function auditCommand(io: CommandIo, connect: Connect): Command {
  return new Command("audit")
    .description(
      "Audit every v1 web service you can see (ACI and AKS): readiness, blockers by kind, the scoring script's check, cost before and after, and what was migrated.",
    )
    .option("--out <dir>", "write audit.html (charts and a table that sorts and filters), audit.md, audit.csv and audit.json there")
    .option("--json", "print the audit as JSON (as audit.json holds it)")
    .addHelpText(
      "after",
      `
Examples:
  $ aci-migrate --sandbox audit
  $ aci-migrate --sandbox audit -w ml-prod-eastus --out ./audit
  $ aci-migrate --sandbox audit -g rg-ml-prod --json

-s, -g and -w narrow it to a subscription, a resource group or a workspace. A workspace that refuses its list
(403, private link) is reported in its place. Readiness: migrated (Azure's migrated-from tag says so), ready (no
blocker), to acknowledge (blockers you may accept), blocked (one Azure would refuse, or not an ACI service).
Costs are indicative list prices. The HTML page needs no network: send it as it is.

Exit codes: 0 written, 1 failed (Azure refused, not signed in), 2 bad input.`,
    )
    .action((_local: unknown, cmd: Command) => import("../actions/audit.js").then((m) => m.runAudit(io, connect, cmd)));
}
