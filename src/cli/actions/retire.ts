import type { Command } from "commander";
import type { MigrationPort } from "../../migration/port.js";
import { UserFixableError } from "../../domain/errors.js";
import { SessionStore } from "../../session/journal.js";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { stateDirOf } from "../state-dir-option.js";
import { optionsOf, requireWorkspace } from "../options.js";
import { recordRetired } from "../../session/retired.js";
import { printJson } from "../render/json-output.js";

export async function runRetire(io: CommandIo, connect: Connect, _local: unknown, cmd: Command): Promise<void> {
  const opts = optionsOf<RetireOptions>(cmd);
  requireWorkspace(opts.workspace, "retire");
  const store = new SessionStore(stateDirOf(cmd));
  const [connected, { deleteV1Service, getV1Service }, { AzureMigrationAdapter }, { findWorkspace }] = await Promise.all([
    connect(cmd),
    import("../../azure/workspaces.js"),
    import("../../azure/migration-adapter.js"),
    import("../find-workspace.js"),
  ]);
  try {
    const ws = await findWorkspace(connected.conn, opts.workspace!, opts.subscription, opts.resourceGroup, (m) => opts.json || io.err(`Note: ${m}`));
    const port = new AzureMigrationAdapter(connected.conn);
    const services = [...new Set(opts.service)];
    // Every one is proven before any is deleted: a refused one leaves them all as they are.
    const proofs = await Promise.all(
      services.map(async (service) => {
        if (!(await getV1Service(connected.conn, ws, service))) {
          throw new UserFixableError(`Workspace ${ws.workspace} has no service named ${service}.`, {
            nextStep: `Check the name with \`aci-migrate services\`; it may be retired already.${services.length > 1 ? " Nothing was deleted." : ""}`,
            kind: "input",
          });
        }
        return { service, ...(await proveMigration(store, port, ws, service)) };
      }),
    );
    const unproven = opts.force ? undefined : proofs.find((p) => !p.ok);
    if (unproven) {
      const none = services.length > 1 ? " Nothing was deleted." : "";
      throw new UserFixableError(`${unproven.service} is not retired: ${unproven.why}${none}`, { nextStep: unproven.next, kind: "state" });
    }
    if (!opts.yes) {
      const endpoints = [...new Set(proofs.map((p) => p.endpoint ?? "the new endpoint"))].join(", ");
      throw new UserFixableError(`retire deletes ${services.join(", ")} for good and needs --yes.`, {
        nextStep: `Run it again with --yes once their callers use ${endpoints}.`,
        kind: "input",
      });
    }
    const retired: RetiredService[] = [];
    for (const proof of proofs) {
      try {
        await deleteV1Service(connected.conn, ws, proof.service);
      } catch (e) {
        if (!retired.length) throw e;
        throw new UserFixableError(`Could not retire ${proof.service}: ${(e as Error).message.split("\n")[0]}`, {
          nextStep: `${retired.map((r) => r.service).join(", ")} ${retired.length === 1 ? "was" : "were"} retired; run retire again for the others.`,
          kind: "state",
        });
      }
      if (proof.sessionId) recordRetired(store, proof.sessionId, proof.service); // a rollback of it then warns
      retired.push({ service: proof.service, deleted: true, endpointName: proof.endpoint ?? null, forced: !proof.ok });
      // Whether callers moved is theirs to know: the line says who keeps working, not that everyone does.
      if (!opts.json)
        io.out(
          `Retired ${proof.service}.${proof.endpoint ? ` Callers that moved to ${proof.endpoint} keep working; any still calling ${proof.service} now get errors.` : ""}`,
        );
    }
    // One service keeps the fields it always had; `services` lists each one either way.
    if (opts.json) printJson(io, { ...(retired.length === 1 ? retired[0] : {}), services: retired });
  } finally {
    await connected.close();
  }
}

interface RetiredService {
  service: string;
  deleted: true;
  endpointName: string | null;
  forced: boolean;
}

interface RetireOptions {
  service: string[];
  yes?: boolean;
  force?: boolean;
}

/** Whether a session migrated the service with a passing smoke test, and its endpoint takes all traffic now. */
async function proveMigration(
  store: SessionStore,
  port: MigrationPort,
  ws: { subscriptionId: string; resourceGroup: string; workspace: string; location: string },
  service: string,
): Promise<{ ok: boolean; why: string; next: string; endpoint?: string; sessionId?: string }> {
  const migrated = store
    .list()
    .flatMap((s) =>
      s.session && s.session.target.workspace === ws.workspace && s.session.target.subscriptionId === ws.subscriptionId
        ? s.session.services.map((x) => ({ session: s.session!, entry: x }))
        : [],
    )
    .filter((x) => x.entry.name === service && x.entry.outcome?.status === "migrated" && x.entry.outcome.smokeTest?.status === "passed")
    .sort((a, b) => (a.session.updatedAt < b.session.updatedAt ? 1 : -1))[0];
  if (!migrated) {
    return {
      ok: false,
      why: "no session in this state directory migrated it with a passing smoke test.",
      next: `Migrate it first (\`aci-migrate migrate --workspace ${ws.workspace} --service ${service} --yes\`), or add --force if it was migrated another way.`,
    };
  }
  const { endpointName, deploymentName } = migrated.entry.plan;
  // The endpoint is where the session made it: the service's workspace, or the one it went into.
  const endpoint = await port.getEndpoint(migrated.session.target.into ?? ws, endpointName);
  if (!endpoint) return { ok: false, why: `its endpoint ${endpointName} no longer exists.`, next: "Migrate it again, or add --force.", endpoint: endpointName };
  if (endpoint.traffic[deploymentName] !== 100) {
    return {
      ok: false,
      why: `${endpointName} sends ${endpoint.traffic[deploymentName] ?? 0}% of its traffic to ${deploymentName}, not 100%.`,
      next: `Resume session ${migrated.session.id} to move the traffic, or add --force.`,
      endpoint: endpointName,
    };
  }
  return { ok: true, why: "", next: "", endpoint: endpointName, sessionId: migrated.session.id };
}
