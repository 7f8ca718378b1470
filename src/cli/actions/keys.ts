import type { Command } from "commander";
import { UserFixableError } from "../../domain/errors.js";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { optionsOf, requireWorkspace } from "../options.js";
import { printJson } from "../render/json-output.js";

interface KeysOptions {
  endpoint: string;
  secondary?: boolean;
}

export async function runKeys(io: CommandIo, connect: Connect, cmd: Command): Promise<void> {
  const opts = optionsOf<KeysOptions>(cmd);
  requireWorkspace(opts.workspace, "keys");
  const [connected, { AzureMigrationAdapter }, { findWorkspace }] = await Promise.all([
    connect(cmd),
    import("../../azure/migration-adapter.js"),
    import("../find-workspace.js"),
  ]);
  try {
    const ws = await findWorkspace(connected.conn, opts.workspace!, opts.subscription, opts.resourceGroup, (m) => opts.json || io.err(`Note: ${m}`));
    const port = new AzureMigrationAdapter(connected.conn);
    const endpoint = await port.getEndpoint(ws, opts.endpoint);
    if (!endpoint) {
      throw new UserFixableError(`Workspace ${ws.workspace} has no managed online endpoint named ${opts.endpoint}.`, {
        nextStep: "Check the name: a migrated service's endpoint is <service>-online unless you named it.",
        kind: "input",
      });
    }
    if (endpoint.authMode !== "Key") {
      throw new UserFixableError(`Endpoint ${opts.endpoint} authenticates with ${endpoint.authMode}, so it has no keys.`, {
        nextStep: "Callers send an Azure token instead (az account get-access-token --resource https://ml.azure.com).",
        kind: "state",
      });
    }
    const keys = await port.listEndpointKeys(ws, opts.endpoint);
    if (opts.json) printJson(io, { endpoint: opts.endpoint, primaryKey: keys.primaryKey, secondaryKey: keys.secondaryKey });
    else io.out(opts.secondary ? keys.secondaryKey : keys.primaryKey);
  } finally {
    await connected.close();
  }
}
