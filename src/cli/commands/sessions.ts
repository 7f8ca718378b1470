import { Command } from "commander";
import { UserFixableError } from "../../domain/errors.js";
import { SessionStore } from "../../session/journal.js";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { isInteractiveTerminal, wholeNumber } from "../options.js";
import { lanesFromSession, newRun } from "../../ui/reducer.js";
import { runWizard, wizardBackend } from "../wizard.js";
import { columns } from "../render/text.js";
import { connectWithEvents, driveSession, stateDirOf } from "./migrate.js";

export function sessionsCommand(io: CommandIo): Command {
  return new Command("sessions")
    .description("List migration sessions (finished and unfinished) in the state directory.")
    .option("--json", "print one JSON object")
    .addHelpText("after", "\nExamples:\n  $ aci-migrate sessions\n  $ aci-migrate --state-dir .sandbox sessions --json")
    .action((opts: { json?: boolean }, cmd: Command) => {
      const list = new SessionStore(stateDirOf(cmd)).list();
      if (opts.json) {
        io.out(JSON.stringify({ sessions: list.map((s) => ({ id: s.id, file: s.file, problem: s.problem, status: s.session?.status, workspace: s.session?.target.workspace, services: s.session?.services.map((x) => ({ name: x.name, outcome: x.outcome?.status ?? "unfinished" })) })) }, null, 2));
        return;
      }
      if (!list.length) return io.out("No sessions yet. Start one with `aci-migrate migrate`.");
      io.out(columns(list.map((s) => (s.session ? [s.id, s.session.status, s.session.target.workspace, s.session.services.map((x) => `${x.name}:${x.outcome?.status ?? "unfinished"}`).join(", ")] : [s.id, "unreadable", "", s.problem ?? ""]))));
    });
}

export function resumeCommand(io: CommandIo, connect: Connect): Command {
  return new Command("resume")
    .description("Continue the latest unfinished session (or the one named), reconciling every step with Azure first.")
    .argument("[id]", "session id (see `aci-migrate sessions`)")
    .option("--concurrency <n>", "services migrated at the same time", wholeNumber, 4)
    .option("--yes", "run without the wizard, without asking (required when not interactive)")
    .option("--json", "print the events as NDJSON and a final object")
    .addHelpText("after", "\nIn a terminal without --yes it opens the wizard on the session's deployment screen.\n\nExamples:\n  $ aci-migrate resume\n  $ aci-migrate resume --yes\n  $ aci-migrate --sandbox --state-dir .sandbox resume 20261125-131500-ab12 --yes --json")
    .action(async (id: string | undefined, opts: { concurrency: number; yes?: boolean; json?: boolean }, cmd: Command) => {
      const secrets = new Set<string>();
      const store = new SessionStore(stateDirOf(cmd), () => [...secrets]);
      const target = id ?? store.list().find((s) => s.session && s.session.status !== "done")?.id;
      if (!target) throw new UserFixableError("There is no unfinished session to resume.", { nextStep: "List them with `aci-migrate sessions`, or start one with `aci-migrate migrate`.", kind: "input" });
      const session = store.open(target); // reports unreadable, newer and locked files before anything else
      const kind = session.data.target.kind;
      session.release();
      const wizard = !opts.yes && !opts.json && isInteractiveTerminal();
      if (!opts.yes && !wizard) throw new UserFixableError("resume changes Azure resources and needs --yes when it runs without the wizard.", { nextStep: `Run \`aci-migrate resume ${target} --yes\`.`, kind: "input" });
      // A sandbox session resumes on the sandbox whatever the flags say: its resources live nowhere else.
      if (kind === "sandbox") cmd.parent?.setOptionValue("sandbox", true);
      if (wizard) {
        // In a terminal without --yes: the wizard, on the deployment screen of that session.
        const connected = await connect(cmd);
        try {
          const summary = store.list().find((s) => s.id === target)!;
          process.exitCode = await runWizard(wizardBackend(connected, { stateDir: stateDirOf(cmd) }), {
            screen: "deploy",
            run: newRun({ resumeId: target, order: summary.session!.services.map((s) => s.name), lanes: lanesFromSession(summary.session!) }),
          });
        } finally {
          await connected.close();
        }
        return;
      }
      const connected = await connectWithEvents(connect, cmd, io, Boolean(opts.json));
      try {
        process.exitCode = await driveSession(io, Boolean(opts.json), connected, store, target, secrets, { concurrency: opts.concurrency, resumed: true });
      } finally {
        await connected.close();
      }
    });
}
