import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import type { AuditReport } from "../../domain/audit.js";
import { UserFixableError } from "../../domain/errors.js";
import { writeAtomically } from "../../fs/atomic-write.js";
import type { FleetProgress } from "../../journey/read-fleet.js";
import { fromHere } from "../../journey/text/format.js";
import { columns, paint } from "../../journey/text/text.js";
import { commandLineOf } from "../command-line.js";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { optionsOf } from "../options.js";
import { checkOutFolder } from "../out-folder.js";
import { printJson } from "../render/json-output.js";
import { stateDirOf } from "../state-dir-option.js";

interface AuditOptions {
  subscription?: string;
  resourceGroup?: string;
  workspace?: string;
  out?: string;
  json?: boolean;
}

export async function runAudit(io: CommandIo, connect: Connect, cmd: Command): Promise<void> {
  const opts = optionsOf<AuditOptions>(cmd);
  const out = opts.out === undefined ? undefined : checkOutFolder(opts.out, undefined);
  const [connected, { wizardBackend }, { readFleet }, { auditFiles }, { totalsText }] = await Promise.all([
    connect(cmd),
    import("../wizard-backend.js"),
    import("../../journey/read-fleet.js"),
    import("../../report/audit-files.js"),
    import("../../report/audit-columns.js"),
  ]);
  try {
    const backend = wizardBackend(connected, { stateDir: stateDirOf(cmd), command: commandLineOf(cmd, { sandbox: connected.sandbox }) });
    const report = await readFleet(backend, opts, opts.json ? undefined : progressLine(io));
    io.status?.("");
    if (!report.rows.length && !report.unreadable.length) {
      throw new UserFixableError(`No workspace ${opts.workspace ? `named ${opts.workspace} ` : ""}with v1 web services in what you can see.`, {
        nextStep: "Run `aci-migrate services` to see your workspaces, or drop -s, -g and -w.",
        kind: "input",
      });
    }
    const written = out ? writeReport(out, auditFiles(report)) : [];
    if (opts.json) return printJson(io, report);
    printSummary(io, report, totalsText);
    io.out(
      written.length
        ? `Wrote ${written.map((f) => fromHere(f)).join(", ")}.`
        : "Add --out DIR for the same as a page to share (charts, a table that sorts and filters), Markdown, CSV and JSON.",
    );
  } finally {
    io.status?.("");
    await connected.close();
  }
}

function writeReport(dir: string, files: Record<string, string>): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(files).map(([name, text]) => {
    const file = join(dir, name);
    writeAtomically(file, text, 0o644);
    return file;
  });
}

/** Totals in all, then a line per workspace. */
function printSummary(io: CommandIo, r: AuditReport, totalsText: (t: AuditReport["totals"]) => string): void {
  const c = paint(io.decorated);
  io.out(c.bold(`All: ${totalsText(r.totals)}`));
  io.out(
    columns([
      ["Workspace", "Services", "Ready", "Acknowledge", "Blocked", "Migrated"].map((h) => c.dim(h)),
      ...r.workspaces.map((w) => [w.workspace, w.totals.services, w.totals.ready, w.totals.toAcknowledge, w.totals.blocked, w.totals.migrated].map(String)),
    ]),
  );
  for (const u of r.unreadable) io.out(c.yellow(`  ${u.workspace} could not be read: ${u.error}`));
  if (r.blockersByKind.length) io.out(`Blockers: ${r.blockersByKind.map((b) => `${b.id} ${b.services}`).join(", ")}`);
}

/** A bar on stderr while workspaces and scripts are read (only where stderr is a terminal that redraws). */
function progressLine(io: CommandIo): (p: FleetProgress) => void {
  return ({ workspaces, scripts }) => {
    const done = workspaces.done + scripts.done;
    const total = Math.max(1, workspaces.total + scripts.total);
    const filled = Math.round((20 * done) / total);
    io.status?.(
      `[${"#".repeat(filled)}${"-".repeat(20 - filled)}] ${workspaces.done}/${workspaces.total} workspaces · ${scripts.done}/${scripts.total} scripts checked`,
    );
  };
}
