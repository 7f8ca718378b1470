import { Argument, Command } from "commander";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";

/** `aci-migrate list [subscriptions|workspaces|services]`: what the signed-in account can see, as tables or JSON. */
export function listCommand(io: CommandIo, connect: Connect): Command {
  return new Command("list")
    .description("List subscriptions, workspaces or v1 services (the default) you can see.")
    .addArgument(new Argument("[what]", "what to list").choices(["subscriptions", "workspaces", "services"]).default("services"))
    .addHelpText(
      "after",
      `
Examples:
  $ aci-migrate --sandbox list subscriptions
  $ aci-migrate --sandbox list workspaces -g rg-ml-prod --json
  $ aci-migrate --sandbox list services -w ml-prod-eastus

On Azure, drop --sandbox (sign in with az login first).

Exit codes: 0 listed, 1 failed (Azure refused, not signed in), 2 bad input.`,
    )
    .action((what: "subscriptions" | "workspaces" | "services", _local: unknown, cmd: Command) =>
      import("../actions/list.js").then((m) => m.printList(io, connect, what, cmd)),
    );
}
