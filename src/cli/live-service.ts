import type { Command } from "commander";
import type { AzureMigrationAdapter } from "../azure/migration-adapter.js";
import type { WorkspaceSummary } from "../azure/workspaces.js";
import { UserFixableError } from "../domain/errors.js";
import { parseServiceJson } from "../domain/parse-service-json.js";
import type { V1Service } from "../domain/v1-service.js";
import { commandLineOf } from "./command-line.js";
import type { Connect, ConnectedSession } from "./connect.js";

/** Where a command reads one service from: its workspace (-w, --service), or files (load-service.ts). */
export interface LiveServiceFlags {
  service?: string;
  workspace?: string;
  subscription?: string;
  resourceGroup?: string;
  serviceJson?: string;
  deploymentConfig?: string;
  inferenceConfig?: string;
  serviceName?: string;
}

export interface LiveService {
  readonly session: ConnectedSession;
  readonly ws: WorkspaceSummary;
  /** The service as model management answers. */
  readonly doc: Record<string, unknown>;
  readonly service: V1Service;
  readonly adapter: AzureMigrationAdapter;
}

/**
 * `-w W --service S`: the service read from its workspace (Azure, or the sandbox), with the adapter that reads the
 * rest. The caller closes `session`; on a failure here it is closed already.
 */
export async function openLiveService(opts: LiveServiceFlags, cmd: Command, connect: Connect): Promise<LiveService> {
  if (!opts.service || !opts.workspace) {
    throw new UserFixableError(`${opts.service ? "--workspace" : "--service"} is missing.`, {
      why: "A service is found by its name inside a workspace.",
      nextStep: "Pass both --workspace NAME and --service NAME (see `aci-migrate --sandbox services`).",
      kind: "input",
    });
  }
  if (opts.serviceJson || opts.deploymentConfig) {
    throw new UserFixableError("--service reads the service from Azure; --service-json/--deployment-config read it from a file.", {
      nextStep: "Pass one source.",
      kind: "input",
    });
  }
  const [session, { getV1Service }, { AzureMigrationAdapter }, { findWorkspace }] = await Promise.all([
    connect(cmd),
    import("../azure/workspaces.js"),
    import("../azure/migration-adapter.js"),
    import("./find-workspace.js"),
  ]);
  try {
    const ws = await findWorkspace(session.conn, opts.workspace, opts.subscription, opts.resourceGroup);
    const doc = await getV1Service(session.conn, ws, opts.service);
    if (!doc) {
      throw new UserFixableError(`Workspace ${ws.workspace} has no service named ${opts.service}.`, {
        nextStep: `List its services with \`${commandLineOf(cmd, { sandbox: session.sandbox })(`services --workspace ${ws.workspace}`)}\`.`,
        kind: "input",
      });
    }
    return { session, ws, doc, service: parseServiceJson(doc, `${ws.workspace}/${opts.service}`), adapter: new AzureMigrationAdapter(session.conn) };
  } catch (e) {
    await session.close();
    throw e;
  }
}
