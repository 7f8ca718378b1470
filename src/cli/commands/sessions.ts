import { Command } from "commander";
import type { Connect } from "../connect.js";
import type { CommandIo } from "../io.js";
import { atLeastOne } from "../options.js";

export function sessionsCommand(io: CommandIo): Command {
  return new Command("sessions")
    .description("List migration sessions, show one, or forget one (its local record; Azure resources stay).")
    .argument("[action]", "show | forget (default: list them all)")
    .argument("[id]", "the session, for show and forget (`latest`: the newest one)")
    .addHelpText(
      "after",
      `
Examples (sessions live in --state-dir, else $ACI_MIGRATE_STATE_DIR, else ~/.local/state/aci-migrate):
  $ aci-migrate --state-dir .sandbox sessions
  $ aci-migrate --state-dir .sandbox sessions --json
  $ aci-migrate --state-dir .sandbox sessions show latest
  $ aci-migrate --state-dir .sandbox sessions forget latest

A session's id is the first column of the list (e.g. 20261127-101500-ab12); \`latest\` names the newest.

Exit codes: 0 done, 1 a session file is unreadable or newer than this version, 2 bad input (no such session).`,
    )
    .action((action: string | undefined, id: string | undefined, _local: unknown, cmd: Command) =>
      import("../actions/sessions.js").then((m) => m.runSessions(io, action, id, _local, cmd)),
    );
}

export function resumeCommand(io: CommandIo, connect: Connect): Command {
  return new Command("resume")
    .description("Continue the latest unfinished session (or the one named), reconciling every step with Azure first.")
    .argument("[id]", "session id (see `aci-migrate sessions`; `latest`: the newest session)")
    .option("--concurrency <n>", "services migrated at the same time", atLeastOne, 4)
    .option("--yes", "run without the wizard, without asking (required when not interactive)")
    .addHelpText(
      "after",
      `
Without an id it continues the latest unfinished session. In a terminal without --yes it opens the wizard on
the session's deployment screen (with --plain, or TERM=dumb: progress line by line, questions one at a time).
A session made on the sandbox resumes on the sandbox.

Examples:
  $ aci-migrate --state-dir .sandbox resume latest --yes
  $ aci-migrate --state-dir .sandbox resume latest --yes --json

A session's id is the first column of \`aci-migrate sessions\`; \`latest\` names the newest session.

Exit codes: 0 migrated, 1 failed (resume again), 2 bad input (no such session, --yes missing), 130 cancelled.`,
    )
    .action((id: string | undefined, _local: unknown, cmd: Command) => import("../actions/resume.js").then((m) => m.runResume(io, connect, id, _local, cmd)));
}
