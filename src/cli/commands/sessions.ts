import { existsSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { AzureMigrationAdapter } from "../../azure/migration-adapter.js";
import { UserFixableError } from "../../domain/errors.js";
import { SessionStore } from "../../session/journal.js";
import { STEP_NAMES, type SessionFile } from "../../session/session-file.js";
import { answerWithoutAsking } from "../answer-policy.js";
import type { Connect } from "../connect.js";
import { connectWithEvents, driveSession } from "../drive-session.js";
import type { CommandIo } from "../io.js";
import { chooseFrontEnd, optionsOf, wholeNumber } from "../options.js";
import { printJson } from "../render/json-output.js";
import { printable } from "../../domain/printable.js";
import { commandLineOf } from "../command-line.js";
import { EXIT } from "../../journey/exit-codes.js";
import { renderError } from "../../journey/text/error-text.js";
import { columns } from "../../journey/text/text.js";
import { runJourneyIn, wizardBackend } from "../wizard.js";
import { stateDirOf } from "./migrate.js";

export function sessionsCommand(io: CommandIo): Command {
  return new Command("sessions")
    .description("List migration sessions, show one, or forget one (its local record; Azure resources stay).")
    .argument("[action]", "show | forget (default: list them all)")
    .argument("[id]", "the session, for show and forget")
    .addHelpText(
      "after",
      `
Examples (sessions live in --state-dir, else $ACI_MIGRATE_STATE_DIR, else ~/.local/state/aci-migrate):
  $ aci-migrate --state-dir .sandbox sessions
  $ aci-migrate --state-dir .sandbox sessions --json
  $ aci-migrate --state-dir .sandbox sessions show 20261127-101500-ab12
  $ aci-migrate --state-dir .sandbox sessions forget 20261127-101500-ab12

Exit codes: 0 done, 1 a session file is unreadable or newer than this version, 2 bad input (no such session).`,
    )
    .action((action: string | undefined, id: string | undefined, _local: unknown, cmd: Command) => {
      const opts = optionsOf<object>(cmd);
      const store = new SessionStore(stateDirOf(cmd));
      if (action === undefined) return listSessions(io, store, Boolean(opts.json));
      if (action !== "show" && action !== "forget") {
        throw new UserFixableError(`sessions does not know "${action}".`, {
          nextStep: "Use `aci-migrate sessions`, `sessions show ID` or `sessions forget ID`.",
          kind: "input",
        });
      }
      if (!id) throw new UserFixableError(`sessions ${action} needs a session id.`, { nextStep: "List them with `aci-migrate sessions`.", kind: "input" });
      if (action === "forget") {
        store.forget(id);
        return opts.json ? printJson(io, { forgotten: id }) : io.out(`Forgot session ${id} (Azure resources it created are untouched).`);
      }
      // Read-only: no lock, so a session another process is driving can be looked at too.
      if (!existsSync(store.fileOf(id)))
        throw new UserFixableError(`There is no session ${id} in ${store.stateDir}.`, {
          nextStep: "List them with `aci-migrate sessions` (the same --state-dir as the run that made it).",
          kind: "input",
        });
      const data = store.read(store.fileOf(id)); // reports unreadable and newer files
      if (opts.json) return printJson(io, { session: data });
      io.out(renderSession(data));
    });
}

function listSessions(io: CommandIo, store: SessionStore, json: boolean): void {
  const list = store.list();
  // The readable ones are all listed; an unreadable one is marked, and the exit code says something needs a look.
  const bad = list.filter((s) => s.problem).length;
  const problem = bad
    ? new UserFixableError(`${bad} session file${bad > 1 ? "s are" : " is"} unreadable (marked in the list).`, {
        why: "A file of the sessions folder was damaged or put there by hand; it is left exactly as it is.",
        nextStep: `Move it out of ${join(store.stateDir, "sessions")} (or restore it from a backup); the other sessions are unaffected.`,
        kind: "state",
      })
    : undefined;
  if (problem) process.exitCode = EXIT.failed;
  if (json) {
    printJson(io, {
      sessions: list.map((s) => ({
        id: s.id,
        file: s.file,
        problem: s.problem,
        status: store.activity(s),
        workspace: s.session?.target.workspace,
        services: s.session?.services.map((x) => ({ name: x.name, outcome: x.outcome?.status ?? "unfinished" })),
      })),
    });
    if (problem) io.err(JSON.stringify(renderError(problem, false).json));
    return;
  }
  if (!list.length) return io.out("No sessions yet. Start one with `aci-migrate migrate`.");
  io.out(
    columns(
      list.map((s) =>
        s.session
          ? [
              s.id,
              store.activity(s) ?? s.session.status,
              s.session.target.workspace,
              s.session.services.map((x) => `${x.name}:${x.outcome?.status ?? "unfinished"}`).join(", "),
            ]
          : [printable(s.id, 40), "unreadable", "", s.problem ?? ""],
      ),
    ),
  );
  if (problem) io.err(renderError(problem, io.decorated).text);
}

/** One session as text: where, and per service its plan, each step and what it left in Azure. */
function renderSession(s: SessionFile): string {
  const out = [
    `Session ${s.id} · ${s.status} · ${s.target.kind === "sandbox" ? "sandbox" : "Azure"} workspace ${s.target.workspace} (${s.target.resourceGroup}, ${s.target.location})`,
    `  created ${s.createdAt}, updated ${s.updatedAt}`,
  ];
  for (const svc of s.services) {
    out.push(
      "",
      `${svc.name} → ${svc.plan.endpointName}/${svc.plan.deploymentName} · ${svc.plan.instanceCount} × ${svc.plan.sku.name ?? "?"} · ${svc.outcome?.status ?? "unfinished"}`,
    );
    out.push(
      columns(
        STEP_NAMES.map((n) => [n, svc.steps[n].status, svc.steps[n].error?.message.split("\n")[0] ?? svc.steps[n].detail ?? ""]),
        "    ",
      ),
    );
    if (svc.resources.scoringUri) out.push(`    scoring URI ${svc.resources.scoringUri}`);
    if (svc.outcome?.smokeTest) out.push(`    smoke test ${svc.outcome.smokeTest.status}: ${svc.outcome.smokeTest.detail}`);
  }
  return out.join("\n");
}

export function resumeCommand(io: CommandIo, connect: Connect): Command {
  return new Command("resume")
    .description("Continue the latest unfinished session (or the one named), reconciling every step with Azure first.")
    .argument("[id]", "session id (see `aci-migrate sessions`)")
    .option("--concurrency <n>", "services migrated at the same time", wholeNumber, 4)
    .option("--yes", "run without the wizard, without asking (required when not interactive)")
    .addHelpText(
      "after",
      `
Without an id it continues the latest unfinished session. In a terminal without --yes it opens the wizard on
the session's deployment screen (with --plain, or TERM=dumb: progress line by line, questions one at a time).
A session made on the sandbox resumes on the sandbox.

Examples:
  $ aci-migrate --state-dir .sandbox resume 20261127-101500-ab12 --yes
  $ aci-migrate --state-dir .sandbox resume 20261127-101500-ab12 --yes --json

Exit codes: 0 migrated, 1 failed (resume again), 2 bad input (no such session, --yes missing), 130 cancelled.`,
    )
    .action(async (id: string | undefined, _local: unknown, cmd: Command) => {
      const opts = optionsOf<{ concurrency: number; yes?: boolean }>(cmd);
      const secrets = new Set<string>();
      const store = new SessionStore(stateDirOf(cmd), () => [...secrets]);
      const target = id ?? store.list().find((s) => s.session && s.session.status !== "done")?.id;
      if (!target)
        throw new UserFixableError("There is no unfinished session to resume.", {
          nextStep: "List them with `aci-migrate sessions`, or start one with `aci-migrate migrate`.",
          kind: "input",
        });
      const session = store.open(target); // reports unreadable, newer and locked files before anything else
      const kind = session.data.target.kind;
      session.release();
      const front = opts.yes || opts.json ? "none" : chooseFrontEnd(opts);
      if (!opts.yes && front === "none")
        throw new UserFixableError("resume changes Azure resources and needs --yes when nobody is at a terminal to answer.", {
          nextStep: `Run \`aci-migrate resume ${target} --yes\`.`,
          source: "command line",
          field: "--yes",
          kind: "input",
        });
      // A sandbox session resumes on the sandbox whatever the flags say: its resources live nowhere else.
      if (kind === "sandbox") cmd.parent?.setOptionValue("sandbox", true);
      if (front !== "none") {
        // In a terminal without --yes: the journey, following that session (the wizard, or plain questions).
        const connected = await connect(cmd);
        try {
          process.exitCode = await runJourneyIn(
            front,
            wizardBackend(connected, { stateDir: stateDirOf(cmd), command: commandLineOf(cmd, { sandbox: connected.sandbox }) }),
            io,
            { resume: target },
          );
        } finally {
          await connected.close();
        }
        return;
      }
      const connected = await connectWithEvents(connect, cmd, io, Boolean(opts.json));
      try {
        const result = await driveSession(io, Boolean(opts.json), new AzureMigrationAdapter(connected.conn), store, target, secrets, {
          concurrency: opts.concurrency,
          resumed: true,
          command: commandLineOf(cmd, { sandbox: connected.sandbox }),
          answer: answerWithoutAsking,
        });
        process.exitCode = result.exitCode;
      } finally {
        await connected.close();
      }
    });
}
