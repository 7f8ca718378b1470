import type { Command } from "commander";
import { UserFixableError } from "../../domain/errors.js";
import { SessionStore } from "../../session/journal.js";
import { answerWithoutAsking } from "../answer-policy.js";
import type { Connect } from "../connect.js";
import { connectWithEvents, driveSession } from "../drive-session.js";
import type { CommandIo } from "../io.js";
import { chooseFrontEnd, optionsOf } from "../options.js";
import { commandLineOf } from "../command-line.js";
import { localRehearser } from "../local-rehearser.js";
import { readRequests } from "../read-requests.js";
import { stateDirOf } from "../state-dir-option.js";
import { sessionIdOf } from "../session-id.js";

export async function runResume(io: CommandIo, connect: Connect, id: string | undefined, _local: unknown, cmd: Command): Promise<void> {
  const opts = optionsOf<{ concurrency: number; yes?: boolean }>(cmd);
  const secrets = new Set<string>();
  const store = new SessionStore(stateDirOf(cmd), () => [...secrets]);
  const target = id ? sessionIdOf(store, id) : store.list().find((s) => s.session && s.session.status !== "done")?.id;
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
    const { connectingSource, runJourneyIn } = await import("../wizard.js");
    const sandbox = Boolean(opts.sandbox) || kind === "sandbox";
    const source = connectingSource(connect, cmd, front, { stateDir: stateDirOf(cmd), command: commandLineOf(cmd, { sandbox }), sandbox });
    try {
      process.exitCode = await runJourneyIn(front, source, io, { resume: target, logs: opts.logs });
    } finally {
      await source.close();
    }
    return;
  }
  const [connected, { AzureMigrationAdapter }] = await Promise.all([
    connectWithEvents(connect, cmd, io, Boolean(opts.json)),
    import("../../azure/migration-adapter.js"),
  ]);
  try {
    const result = await driveSession(io, Boolean(opts.json), new AzureMigrationAdapter(connected.conn), store, target, secrets, {
      concurrency: opts.concurrency,
      rehearser: localRehearser(stateDirOf(cmd)),
      readRequests,
      resumed: true,
      logs: opts.logs,
      command: commandLineOf(cmd, { sandbox: connected.sandbox }),
      callers: { command: commandLineOf(cmd, { sandbox: connected.sandbox }), caPem: connected.conn.caPem },
      answer: answerWithoutAsking,
    });
    process.exitCode = result.exitCode;
  } finally {
    await connected.close();
  }
}
