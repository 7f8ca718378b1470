import { join, relative } from "node:path";
import { readCodeFolder } from "../azure/code-snapshot.js";
import { writeExportFolder } from "./export-folder.js";
import { AzureMigrationAdapter } from "../azure/migration-adapter.js";
import { deleteV1Service, listMigratedEndpoints, listSubscriptions, listV1Services, listWorkspaces } from "../azure/workspaces.js";
import type { MigrationPort } from "../migration/port.js";
import { SessionStore } from "../session/journal.js";
import type { Identity, JourneyBackend } from "../journey/backend.js";
import type { CommandLine } from "../journey/text/command-line.js";
import type { ConnectedSession } from "./connect.js";

/**
 * The journey's backend: the discovery calls of `src/azure/`, the migration adapter and the journal. The wizard
 * loads this module only after its first frame is drawn, since the Azure SDKs take a while to load (wizard.ts).
 */
export function wizardBackend(
  connected: ConnectedSession,
  o: { stateDir: string; command: CommandLine; cloud?: string; exportDir?: string; port?: MigrationPort },
): JourneyBackend {
  const conn = connected.conn;
  const exportDir = o.exportDir ?? join(process.cwd(), "aci-migrate-yaml");
  return {
    kind: connected.sandbox ? "sandbox" : "azure",
    armEndpoint: conn.armEndpoint,
    identity: async (): Promise<Identity> =>
      connected.sandbox
        ? { kind: "sandbox", endpoint: conn.armEndpoint }
        : { kind: "azure", cloud: o.cloud ?? "AzureCloud", ...(await whoIsSignedIn(connected)) },
    listSubscriptions: async () =>
      (await listSubscriptions(conn)).map((s) => ({ subscriptionId: s.subscriptionId, displayName: s.displayName, tenantId: s.tenantId })),
    listWorkspaces: (subscriptionId) => listWorkspaces(conn, subscriptionId),
    listServices: (ws) => listV1Services(conn, ws),
    listMigrated: (ws) => listMigratedEndpoints(conn, ws),
    deleteV1Service: async (ws, name) => {
      const found = (await listWorkspaces(conn, ws.subscriptionId)).find((w) => w.workspace === ws.workspace && w.resourceGroup === ws.resourceGroup);
      if (!found) throw new Error(`Workspace ${ws.workspace} is not visible any more.`);
      await deleteV1Service(conn, found, name);
    },
    port: o.port ?? new AzureMigrationAdapter(conn),
    sessions: new SessionStore(o.stateDir),
    exportDir,
    command: o.command,
    exportYaml: async (plan, codeDir) => {
      // The wizard has the code at hand only as a folder; a snapshot's code is left to the README's first step.
      const dir = join(exportDir, plan.service.name);
      const code = codeDir ? await readCodeFolder(codeDir, plan.code.scoringScript ?? "score.py") : undefined;
      const written = await writeExportFolder(dir, plan, code);
      return { dir, files: written.map((f) => relative(dir, f) || f) };
    },
  };
}

/** The account and tenant in the ARM token's claims (read in memory; the token itself goes nowhere). */
async function whoIsSignedIn(connected: ConnectedSession): Promise<{ account?: string; tenantId?: string }> {
  try {
    const token = await connected.conn.credential.getToken(connected.conn.scope ?? `${connected.conn.armEndpoint}/.default`);
    const payload = JSON.parse(Buffer.from(token?.token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, string>;
    return { account: payload.upn ?? payload.preferred_username ?? payload.unique_name ?? payload.appid, tenantId: payload.tid };
  } catch {
    return {};
  }
}
