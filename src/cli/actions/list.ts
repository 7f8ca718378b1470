import type { Command } from "commander";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { columns, paint } from "../../journey/text/text.js";
import { optionsOf } from "../options.js";
import type { ServicesOptions } from "./services.js";
import { printJson } from "../render/json-output.js";

/** `aci-migrate list [what]`: subscriptions, workspaces or v1 services, as tables or JSON. */
export async function printList(io: CommandIo, connect: Connect, what: "subscriptions" | "workspaces" | "services", cmd: Command): Promise<void> {
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
}
