import { Command } from "commander";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { optionsOf } from "../options.js";
import type { ServicesOptions } from "../actions/services.js";
/** `aci-migrate services`: every v1 web service in the subscriptions you can see, with the size it would move to. */
export function servicesCommand(io: CommandIo, connect: Connect): Command {
  return new Command("services")
    .description("List the v1 web services in your workspaces (ACI ones can be migrated), with the suggested VM size.")
    .addHelpText(
      "after",
      `
Examples:
  $ aci-migrate --sandbox services
  $ aci-migrate --sandbox services -w ml-prod-eastus --json

A workspace that refuses its list (403, private link) is reported in its place; the others are still listed.
On Azure, drop --sandbox (sign in with az login first).

Exit codes: 0 listed, 1 failed (Azure refused, not signed in), 2 bad input.`,
    )
    .action((_local: unknown, cmd: Command) =>
      import("../actions/services.js").then((m) => m.printServices(io, connect, cmd, optionsOf<ServicesOptions>(cmd))),
    );
}
