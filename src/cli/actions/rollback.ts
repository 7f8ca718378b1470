import type { Command } from "commander";
import { UserFixableError } from "../../domain/errors.js";
import { planRollback, rollBack, rollbackLine, type RollbackItem } from "../../migration/rollback.js";
import { SessionStore } from "../../session/journal.js";
import { commandLineOf } from "../command-line.js";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { chooseFrontEnd, optionsOf } from "../options.js";
import { printJson } from "../render/json-output.js";
import { stateDirOf } from "../state-dir-option.js";
import { sessionIdOf } from "../session-id.js";

export async function runRollback(io: CommandIo, connect: Connect, id: string | undefined, _local: unknown, cmd: Command): Promise<void> {
  const opts = optionsOf<{ yes?: boolean }>(cmd);
  const store = new SessionStore(stateDirOf(cmd));
  const target = id ? sessionIdOf(store, id) : store.list().find((s) => s.session)?.id;
  if (!target)
    throw new UserFixableError("There is no session to roll back in this state directory.", {
      nextStep: "List them with `aci-migrate sessions` (with the --state-dir of the run that made it).",
      kind: "input",
    });
  // Held for the whole rollback: no run of the session may start meanwhile (and a running one is reported).
  const session = store.open(target);
  try {
    if (session.data.target.kind === "sandbox") cmd.parent?.setOptionValue("sandbox", true);
    const front = opts.yes || opts.json ? "none" : chooseFrontEnd(opts);
    if (!opts.yes && front === "none") {
      throw new UserFixableError("rollback deletes Azure resources and needs --yes when nobody is at a terminal to answer.", {
        nextStep: `Run it again with --yes: \`aci-migrate rollback ${target} --yes\`.`,
        field: "--yes",
        kind: "input",
      });
    }
    const [connected, { AzureMigrationAdapter }] = await Promise.all([connect(cmd), import("../../azure/migration-adapter.js")]);
    try {
      const port = new AzureMigrationAdapter(connected.conn);
      const plan = await planRollback(port, session.data);
      const lines = (items: readonly RollbackItem[]) => items.map((i) => `  ${rollbackLine(i)}`);
      if (!opts.json) {
        io.out(plan.remove.length ? `Session ${target} in ${plan.ws.workspace} deletes:` : `Session ${target} left nothing of its own in Azure to delete.`);
        for (const l of lines(plan.remove)) io.out(l);
        if (plan.keep.length) io.out(["Keeps:", ...lines(plan.keep)].join("\n"));
        for (const w of plan.warnings) io.out(`Warning: ${w}`);
      }
      if (plan.remove.length && !opts.yes) {
        const { plainPrompter } = await import("../plain/prompter.js");
        const ask = plainPrompter(io, { command: commandLineOf(cmd, { sandbox: connected.sandbox }) });
        try {
          if (
            !(await ask.confirm(`Delete ${plan.remove.length === 1 ? "it" : `these ${plan.remove.length}`} from Azure? The v1 services are not touched.`, {
              default: false,
            }))
          ) {
            io.err("Nothing was deleted.");
            process.exitCode = 130;
            return;
          }
        } finally {
          ask.dispose();
        }
      }
      await rollBack(port, plan, { onDeleted: (i) => (opts.json ? undefined : io.out(`✓ deleted ${rollbackLine(i)}`)) });
      // `sessions` then says rolled-back instead of what the run ended as.
      session.update((s) => void (s.rolledBackAt = new Date().toISOString()));
      const item = (i: RollbackItem) => ({ kind: i.kind, name: i.name, version: i.version ?? null, service: i.service, note: i.note });
      if (opts.json) printJson(io, { sessionId: target, deleted: plan.remove.map(item), kept: plan.keep.map(item), warnings: plan.warnings });
      else if (plan.remove.length) io.out(`Session ${target} is rolled back.`);
    } finally {
      await connected.close();
    }
  } finally {
    session.release();
  }
}
