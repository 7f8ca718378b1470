import { Argument, Command } from "commander";
import { listSubscriptions, listWorkspaces } from "../../azure/workspaces.js";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { columns, paint } from "../render/text.js";
import { printServices, type ServicesOptions } from "./services.js";

/** `aci-migrate list [subscriptions|workspaces|services]`: what the signed-in account can see, as tables or JSON. */
export function listCommand(io: CommandIo, connect: Connect): Command {
  return new Command("list")
    .description("List subscriptions, workspaces or v1 services (the default) you can see.")
    .addArgument(new Argument("[what]", "what to list").choices(["subscriptions", "workspaces", "services"]).default("services"))
    .option("-s, --subscription <id>", "only this subscription")
    .option("-g, --resource-group <name>", "only this resource group")
    .option("-w, --workspace <name>", "only this workspace (services)")
    .option("--json", "print one JSON object")
    .addHelpText(
      "after",
      `
Examples:
  $ aci-migrate --sandbox list subscriptions
  $ aci-migrate --sandbox list workspaces --json
  $ aci-migrate --sandbox list services -w ml-prod-eastus`,
    )
    .action(async (what: "subscriptions" | "workspaces" | "services", opts: ServicesOptions, cmd: Command) => {
      if (what === "services") return printServices(io, connect, cmd, opts);
      const session = await connect(cmd);
      try {
        const subs = (await listSubscriptions(session.conn)).filter((s) => !opts.subscription || s.subscriptionId === opts.subscription);
        const c = paint(io.decorated);
        if (what === "subscriptions") {
          if (opts.json) return io.out(JSON.stringify({ subscriptions: subs }, null, 2));
          if (!subs.length) return io.out("No subscriptions visible to this account (check `az account list`, or --tenant).");
          return io.out(columns([["name", "subscription id", "tenant"].map((h) => c.dim(h)), ...subs.map((s) => [s.displayName, s.subscriptionId, s.tenantId ?? ""])]));
        }
        const workspaces = [];
        for (const s of subs) {
          for (const w of await listWorkspaces(session.conn, s.subscriptionId)) {
            if (!opts.resourceGroup || w.resourceGroup.toLowerCase() === opts.resourceGroup.toLowerCase()) workspaces.push({ ...w, subscriptionName: s.displayName });
          }
        }
        if (opts.json) return io.out(JSON.stringify({ workspaces: workspaces.map(({ subscriptionId, subscriptionName, resourceGroup, workspace, location }) => ({ subscriptionId, subscriptionName, resourceGroup, workspace, location })) }, null, 2));
        if (!workspaces.length) return io.out("No Azure ML workspaces visible here.");
        io.out(columns([["workspace", "resource group", "location", "subscription"].map((h) => c.dim(h)), ...workspaces.map((w) => [w.workspace, w.resourceGroup, w.location, w.subscriptionName])]));
      } finally {
        await session.close();
      }
    });
}
