import { Argument, Command } from "commander";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { columns, paint } from "../../journey/text/text.js";
import { optionsOf } from "../options.js";
import type { ServicesOptions } from "../actions/services.js";
import { printJson } from "../render/json-output.js";

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
    .action(async (what: "subscriptions" | "workspaces" | "services", _local: unknown, cmd: Command) => {
      const opts = optionsOf<ServicesOptions>(cmd);
      if (what === "services") return (await import("../actions/services.js")).printServices(io, connect, cmd, opts);
      const [session, { listSubscriptions, listWorkspaces }] = await Promise.all([connect(cmd), import("../../azure/workspaces.js")]);
      try {
        const subs = (await listSubscriptions(session.conn)).filter((s) => !opts.subscription || s.subscriptionId === opts.subscription);
        const c = paint(io.decorated);
        if (what === "subscriptions") {
          if (opts.json) return printJson(io, { subscriptions: subs });
          if (!subs.length) return io.out("No subscriptions visible to this account (check `az account list`, or --tenant).");
          return io.out(
            columns([["name", "subscription id", "tenant"].map((h) => c.dim(h)), ...subs.map((s) => [s.displayName, s.subscriptionId, s.tenantId ?? ""])]),
          );
        }
        const workspaces = [];
        for (const s of subs) {
          for (const w of await listWorkspaces(session.conn, s.subscriptionId)) {
            if (!opts.resourceGroup || w.resourceGroup.toLowerCase() === opts.resourceGroup.toLowerCase())
              workspaces.push({ ...w, subscriptionName: s.displayName });
          }
        }
        if (opts.json)
          return printJson(io, {
            workspaces: workspaces.map(({ subscriptionId, subscriptionName, resourceGroup, workspace, location }) => ({
              subscriptionId,
              subscriptionName,
              resourceGroup,
              workspace,
              location,
            })),
          });
        if (!workspaces.length) return io.out("No Azure ML workspaces visible here.");
        io.out(
          columns([
            ["workspace", "resource group", "location", "subscription"].map((h) => c.dim(h)),
            ...workspaces.map((w) => [w.workspace, w.resourceGroup, w.location, w.subscriptionName]),
          ]),
        );
      } finally {
        await session.close();
      }
    });
}
