import { join, relative } from "node:path";
import { listSubscriptions } from "../azure/subscriptions.js";
import type * as Workspaces from "../azure/workspaces.js";
import type * as Adapter from "../azure/migration-adapter.js";
import type { MigrationPort } from "../migration/port.js";
import { localRehearser } from "./local-rehearser.js";
import { readRequests } from "./read-requests.js";
import { SessionStore } from "../session/journal.js";
import type { Identity, JourneyBackend } from "../journey/backend.js";
import type { CommandLine } from "../journey/text/command-line.js";
import type { ConnectedSession } from "./connect.js";

/**
 * The journey's backend: the discovery calls of `src/azure/`, the migration adapter and the journal. The wizard
 * loads this module only after its first frame is drawn, since the Azure SDKs take a while to load (wizard.ts).
 * The first question needs only the subscriptions client; the Azure ML SDK, storage and the adapter load once
 * the subscriptions are listed, while the person reads the question.
 */
export function wizardBackend(
  connected: ConnectedSession,
  o: { stateDir: string; command: CommandLine; cloud?: string; exportDir?: string; port?: MigrationPort },
): JourneyBackend {
  const conn = connected.conn;
  let loading: Promise<[typeof Workspaces, typeof Adapter]> | undefined;
  const azure = () => (loading ??= Promise.all([import("../azure/workspaces.js"), import("../azure/migration-adapter.js")]));
  const exportDir = o.exportDir ?? join(process.cwd(), "aci-migrate-yaml");
  return {
    kind: connected.sandbox ? "sandbox" : "azure",
    armEndpoint: conn.armEndpoint,
    identity: async (): Promise<Identity> =>
      connected.sandbox
        ? { kind: "sandbox", endpoint: conn.armEndpoint }
        : { kind: "azure", cloud: o.cloud ?? "AzureCloud", ...(await whoIsSignedIn(connected)) },
    listSubscriptions: async () => {
      const subscriptions = await listSubscriptions(conn);
      void azure().catch(() => undefined); // what comes next loads now; a failure is reported where it is used
      return subscriptions.map((s) => ({ subscriptionId: s.subscriptionId, displayName: s.displayName, tenantId: s.tenantId }));
    },
    listWorkspaces: async (subscriptionId) => (await azure())[0].listWorkspaces(conn, subscriptionId),
    listServices: async (ws) => (await azure())[0].listV1Services(conn, ws),
    listMigrated: async (ws) => (await azure())[0].listMigratedEndpoints(conn, ws),
    listMigrations: async (ws) => (await azure())[0].listMigrations(conn, ws),
    deleteV1Service: async (ws, name) => {
      const [{ listWorkspaces, deleteV1Service }] = await azure();
      const found = (await listWorkspaces(conn, ws.subscriptionId)).find((w) => w.workspace === ws.workspace && w.resourceGroup === ws.resourceGroup);
      if (!found) throw new Error(`Workspace ${ws.workspace} is not visible any more.`);
      await deleteV1Service(conn, found, name);
    },
    port: o.port ?? deferredPort(azure().then(([, { AzureMigrationAdapter }]) => new AzureMigrationAdapter(conn))),
    sessions: new SessionStore(o.stateDir),
    ...(connected.sandbox && conn.caPem ? { sandboxCaPem: conn.caPem } : {}),
    rehearser: localRehearser(o.stateDir),
    readRequests,
    exportDir,
    command: o.command,
    exportYaml: async (plan, from) => {
      const dir = join(exportDir, plan.service.name);
      const [[, { AzureMigrationAdapter }], { writeExportFolder }] = await Promise.all([azure(), import("./export-folder.js")]);
      const adapter = new AzureMigrationAdapter(conn);
      const source = from.codeDir
        ? { kind: "folder" as const, path: from.codeDir, scoringScript: plan.code.scoringScript ?? "score.py" }
        : from.doc
          ? { kind: "snapshot" as const, service: from.doc }
          : undefined;
      // As `plan -w … --out`: the code read where it is (a snapshot that cannot be read leaves the README's step);
      // writeExportFolder makes the accepted edits.
      const code = source && plan.environment.kind !== "image" ? await adapter.readCode(from.ws, source).catch(() => undefined) : undefined;
      const model = plan.model;
      const modelCopies =
        model.kind === "combined"
          ? await adapter
              .combinedModelCopies(
                from.ws,
                model.parts.map((id) => ({ name: id.slice(0, id.lastIndexOf(":")), version: id.slice(id.lastIndexOf(":") + 1), path: model.paths[id]! })),
              )
              .catch(() => undefined)
          : undefined;
      const written = await writeExportFolder(dir, plan, code, { workspace: from.ws, modelCopies });
      return { dir, files: written.map((f) => relative(dir, f) || f) };
    },
  };
}

/**
 * The port while its adapter still loads: every method waits for it, then goes through (all of the port's methods
 * return promises). `then` is left out so that the port itself is never taken for a promise.
 */
function deferredPort(ready: Promise<MigrationPort>): MigrationPort {
  ready.catch(() => undefined); // reported by the first call that needs it
  return new Proxy({} as MigrationPort, {
    get: (_target, method) =>
      method === "then"
        ? undefined
        : (...args: unknown[]) => ready.then((port) => (port[method as keyof MigrationPort] as (...a: unknown[]) => Promise<unknown>).apply(port, args)),
  });
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
