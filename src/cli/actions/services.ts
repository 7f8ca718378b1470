import type { Command } from "commander";
import stringWidth from "string-width";
import type { WorkspaceSummary } from "../../azure/workspaces.js";
import { buildPlan } from "../../domain/plan.js";
import { standingText } from "../../journey/service-rows.js";
import { UserFixableError } from "../../domain/errors.js";
import { parseServiceJson } from "../../domain/parse-service-json.js";
import { suggestSku } from "../../domain/suggest-sku.js";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { columns, paint } from "../../journey/text/text.js";
import { printJson } from "../render/json-output.js";
import { layoutForTerminal } from "../../ui/terminal-text.js";

interface ServiceRow {
  readonly name: string;
  readonly computeType: string;
  readonly state: string;
  readonly cpu?: number;
  readonly memoryGb?: number;
  readonly authEnabled?: boolean;
  readonly suggestedSku?: string | null;
  readonly skuSource?: string;
  readonly migratable: boolean;
  readonly findings?: number;
  readonly blockers?: readonly string[];
  readonly migratedTo?: string | null;
}

export interface ServicesOptions {
  subscription?: string;
  resourceGroup?: string;
  workspace?: string;
  json?: boolean;
}

/** Lists the v1 services of the workspaces the filters leave (`services` and `list services`). */
export async function printServices(io: CommandIo, connect: Connect, cmd: Command, opts: ServicesOptions): Promise<void> {
  const [session, { discoverServices }] = await Promise.all([connect(cmd), import("../../azure/discovery.js")]);
  try {
    const listed = await discoverServices(session.conn, opts);
    if (opts.subscription && !listed.length) {
      throw new UserFixableError(`Subscription ${opts.subscription} is not one you can see.`, {
        nextStep: "Run without --subscription to list the ones you can.",
        kind: "input",
      });
    }
    // A workspace that refuses (403, private link) is reported, not fatal. With each list, which services Azure
    // already has a migration of (endpoints tagged migrated-from).
    const result = listed
      .map(({ subscription, workspaces }) => ({
        subscriptionId: subscription.subscriptionId,
        displayName: subscription.displayName,
        workspaces: workspaces.map((l): WorkspaceSummary & { services: ServiceRow[]; error?: string } =>
          "error" in l
            ? { ...l.ws, services: [] as ServiceRow[], error: describeFailure(l.error) }
            : { ...l.ws, services: l.services.map((doc) => toRow(doc, l.ws, l.migrated)) },
        ),
      }))
      // With --workspace, subscriptions that do not hold it are noise.
      .filter((s) => !opts.workspace || s.workspaces.length);
    if (opts.workspace && !result.some((s) => s.workspaces.length)) {
      throw new UserFixableError(`No workspace named ${opts.workspace} in the subscriptions you can see.`, {
        nextStep: "Run without --workspace to list them.",
        kind: "input",
      });
    }
    if (opts.json) {
      printJson(io, { subscriptions: result });
      return;
    }
    const c = paint(io.decorated);
    for (const sub of result) {
      io.out(c.bold(`${sub.displayName}`) + c.dim(`  ${sub.subscriptionId}`));
      if (!sub.workspaces.length) io.out("  (no workspaces)");
      for (const ws of sub.workspaces) {
        if (ws.error) {
          io.out(`  ${c.bold(ws.workspace)} ${c.dim(`${ws.resourceGroup} · ${ws.location}`)} ${c.yellow(`could not be listed: ${ws.error}`)}`);
          continue;
        }
        io.out(`  ${c.bold(ws.workspace)} ${c.dim(`${ws.resourceGroup} · ${ws.location} · ${ws.services.length} services`)}`);
        const what = ws.services.map((s) => [
          s.migratable ? s.name : c.dim(s.name),
          s.computeType,
          s.state,
          s.cpu !== undefined ? `${s.cpu} CPU / ${s.memoryGb} GB` : "",
          s.authEnabled ? "key auth" : "no auth",
        ]);
        const whereTo = ws.services.map((s) => [
          s.migratable ? `→ ${s.suggestedSku ?? "no SKU fits"} (${s.skuSource})` : c.dim("not migratable (not ACI)"),
          standing(s),
        ]);
        io.out(servicesTable(what, whereTo, io.columns ?? 80));
      }
    }
  } finally {
    await session.close();
  }
}

/**
 * One row a service where the terminal is wide enough; else where it would move to, and what was found, go on a
 * line of its own under it, laid out to the width (a row ~150 wide, broken by an 80-column terminal, is unreadable).
 */
function servicesTable(what: readonly string[][], whereTo: readonly string[][], width: number): string {
  const wide = columns(
    what.map((row, i) => [...row, ...whereTo[i]!]),
    "    ",
  );
  if (wide.split("\n").every((line) => stringWidth(line) <= width)) return wide;
  return columns(what, "    ")
    .split("\n")
    .flatMap((line, i) => [line, ...layoutForTerminal(`      ${whereTo[i]!.filter(Boolean).join(" · ")}`, width)])
    .join("\n");
}

function describeFailure(e: unknown): string {
  const status = (e as { status?: number }).status;
  return `${(e as Error).message ?? String(e)}${status ? ` (HTTP ${status})` : ""}`;
}

function toRow(doc: Record<string, unknown>, ws: WorkspaceSummary, migrated: ReadonlyMap<string, string>): ServiceRow {
  const computeType = String(doc.computeType ?? "UNKNOWN");
  if (computeType.toUpperCase() !== "ACI") return { name: String(doc.name), computeType, state: String(doc.state ?? ""), migratable: false };
  const s = parseServiceJson(doc, `${ws.workspace}/${String(doc.name)}`);
  const sku = suggestSku(s.cpu, s.memoryGb);
  const plan = buildPlan(s);
  return {
    name: s.name,
    computeType,
    state: s.state ?? "",
    cpu: s.cpu,
    memoryGb: s.memoryGb,
    authEnabled: s.authEnabled,
    suggestedSku: sku.sku?.name ?? null,
    skuSource: sku.source,
    migratable: true,
    findings: plan.findings.length,
    blockers: plan.blockers,
    migratedTo: migrated.get(s.name) ?? null,
  };
}

/** Its findings, its blockers, and whether it was migrated already: said as the wizard's list says it. */
function standing(s: ServiceRow): string {
  return s.migratable ? standingText({ standing: { findings: s.findings ?? 0, blockers: s.blockers ?? [] }, migratedTo: s.migratedTo ?? undefined }) : "";
}
