import type { Command } from "commander";
import { runMigration } from "../migration/engine.js";
import type { InputAnswer, InputRequest, MigrationEvent } from "../migration/events.js";
import type { MigrationPort, Rehearser } from "../migration/port.js";
import type { ReadRequests } from "../migration/replay-inputs.js";
import type { CallersKitOptions } from "../migration/callers-kit.js";
import type { MigrationPlan } from "../domain/plan.js";
import type { SessionStore } from "../session/journal.js";
import type { CommandLine } from "../journey/text/command-line.js";
import type { Connect, ConnectedSession } from "./connect.js";
import { EXIT } from "../journey/exit-codes.js";
import { writeData, type CommandIo } from "./io.js";
import { likelyCause } from "../migration/diagnose.js";
import { renderEventLine } from "../journey/text/events-text.js";
import { renderResults } from "../journey/text/result-text.js";
import { printJson } from "./render/json-output.js";

type ServiceFinished = Extract<MigrationEvent, { type: "service-finished" }>;

export interface DriveOptions {
  readonly concurrency: number;
  readonly sampleRequest?: unknown;
  /** Runs services whose entry asks for a rehearsal (`migrate --rehearse`) on this machine. */
  readonly rehearser?: Rehearser;
  /** How the callers' kit's commands reach this Azure (or sandbox). */
  readonly callers?: CallersKitOptions;
  /** Reads the `--requests` a session replays before traffic moves. */
  readonly readRequests?: ReadRequests;
  readonly resumed: boolean;
  /** false: no container log lines printed (--no-logs); they are still read for a failure's likely cause. */
  readonly logs?: boolean;
  /** How the engine's questions are answered: by a policy (commands with --yes) or by asking the person. */
  readonly answer: (request: InputRequest, plan: MigrationPlan) => InputAnswer | Promise<InputAnswer>;
  /** How the next steps printed at the end are written (the flags that reach this session's Azure and journal). */
  readonly command: CommandLine;
  /** No result printed under --json (a caller that runs several sessions prints one result for them all). */
  readonly quietResult?: boolean;
}

export interface DriveResult {
  readonly exitCode: number;
  readonly sessionId: string;
  readonly finished: readonly ServiceFinished[];
}

/**
 * Runs (or resumes) a session to its end, rendering the events as lines or NDJSON, and the closing block (text)
 * or the final object (JSON). Ctrl+C cancels: what runs in Azure keeps running and the session stays resumable.
 */
export async function driveSession(
  io: CommandIo,
  json: boolean,
  port: MigrationPort,
  store: SessionStore,
  sessionId: string,
  secrets: Set<string>,
  o: DriveOptions,
): Promise<DriveResult> {
  const session = store.open(sessionId);
  const controller = new AbortController();
  // SIGTERM (a `kill`, a CI runner's timeout, a closing terminal multiplexer) is treated as Ctrl+C: the run stops
  // between requests, the journal says where, and the lock is released.
  const onSigint = () => controller.abort(new Error("cancelled by Ctrl+C"));
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigint);
  const finished: ServiceFinished[] = [];
  const print = eventPrinter(io, json, o.command, { logs: o.logs });
  try {
    const status = await runMigration({
      port,
      session,
      secrets,
      signal: controller.signal,
      concurrency: o.concurrency,
      sampleRequest: o.sampleRequest,
      rehearser: o.rehearser,
      readRequests: o.readRequests,
      callers: o.callers ?? { command: o.command },
      resumed: o.resumed,
      emit: (e) => {
        if (e.type === "service-finished") finished.push(e);
        print(e);
        if (e.type === "needs-input") {
          const { respond, type: _type, ...request } = e;
          // Asked after the question's line is out. A question left unanswered (Ctrl+C at the prompt) cancels the
          // run the way Ctrl+C does anywhere else: what runs in Azure goes on, and the session stays resumable.
          const plan = session.data.services.find((s) => s.name === e.service)!.plan;
          queueMicrotask(
            () =>
              void Promise.resolve(o.answer(request, plan)).then(respond, () => {
                controller.abort(new Error("cancelled at a question"));
                respond({ choice: "stop" });
              }),
          );
        }
      },
    });
    if (json && o.quietResult) {
      // the caller prints the result
    } else if (json) {
      printJson(
        io,
        {
          sessionId,
          status,
          services: finished.map(({ service, endpointName, deploymentName, scoringUri, status: s, smokeTest }) => ({
            service,
            endpointName,
            deploymentName,
            scoringUri,
            status: s,
            smokeTest,
          })),
        },
        { compact: true },
      );
    } else if (finished.length) {
      io.out("");
      io.out(
        renderResults(finished, Object.fromEntries(session.data.services.map((s) => [s.name, s.plan])), {
          decorated: io.decorated,
          command: o.command,
          workspace: session.data.target.workspace,
        }),
      );
    }
    return { exitCode: status === "done" ? EXIT.done : status === "cancelled" ? EXIT.cancelled : EXIT.failed, sessionId, finished };
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
    session.release();
  }
}

/**
 * Prints events as the commands render them: NDJSON with --json (functions such as `respond` drop out), else
 * lines; a failed step's lines end with its likely cause and remedy, read from the error and the recent logs.
 */
export function eventPrinter(io: CommandIo, json: boolean, command?: CommandLine, o: { logs?: boolean } = {}): (e: MigrationEvent) => void {
  const recentLogs = new Map<string, string[]>();
  const explained = new Set<string>(); // a failure asked about is not explained again when its step fails
  return (e) => {
    if (json) return writeData(io, JSON.stringify({ event: e }));
    if (e.type === "log-lines") recentLogs.set(e.service, [...(recentLogs.get(e.service) ?? []), ...e.lines].slice(-RECENT_LOG_LINES));
    // Logs off (--no-logs) are still read for a failure's likely cause; a service's end is said by the result after the run.
    if ((e.type === "log-lines" && o.logs === false) || e.type === "service-finished") return;
    const line = renderEventLine(e, io.decorated, command);
    if (line) io.out(line);
    if ((e.type === "needs-input" || e.type === "step-failed") && e.error) {
      const key = `${e.service}/${e.step}`;
      const cause = explained.has(key) ? undefined : likelyCause(e.error, recentLogs.get(e.service) ?? [], e.step);
      if (e.type === "needs-input") explained.add(key);
      else explained.delete(key);
      if (cause) io.out(`      Likely cause: ${cause.cause}\n      Remedy: ${cause.remedy}`);
    }
  };
}

/** How many of a service's latest log lines the likely cause is read from. */
const RECENT_LOG_LINES = 200;

/** Connects, with device-code prompts going into the command's event stream (NDJSON under --json). */
export function connectWithEvents(connect: Connect, cmd: Command, io: CommandIo, json: boolean): Promise<ConnectedSession> {
  const print = eventPrinter(io, json);
  return connect(cmd, { onSignIn: (p) => print({ type: "sign-in", ...p }) });
}
