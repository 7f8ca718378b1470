import type { MigrationPlan } from "../domain/plan.js";
import { runMigration } from "../migration/engine.js";
import type { InputAnswer, InputChoice, InputRequest, MigrationEvent } from "../migration/events.js";
import type { SessionTarget } from "../session/session-file.js";
import type { JourneyBackend } from "./backend.js";
import type { WorkspaceContext } from "./draft.js";
import { askAdaptation } from "./edit-plan.js";
import type { Prompter } from "./prompter.js";
import { withCommandLine, type CommandLine } from "./text/command-line.js";
import { offerRetirement } from "./retire-old.js";
import { renderResults } from "./text/result-text.js";

type ServiceFinished = Extract<MigrationEvent, { type: "service-finished" }>;

export interface RunOutcome {
  readonly status: "done" | "failed" | "cancelled";
  readonly sessionId: string;
  readonly target: SessionTarget;
  readonly finished: readonly ServiceFinished[];
  readonly plans: Readonly<Record<string, MigrationPlan>>;
}

/** How many services of a session run at once. */
const CONCURRENCY = 4;

/**
 * Runs (or resumes) a session while the face shows it, answering the engine's questions one at a time as they
 * come (other services go on meanwhile). A stop asked for (Ctrl+C, SIGTERM) stops the run between requests:
 * what runs in Azure goes on, and the journal keeps where it was.
 */
export async function followRun(backend: JourneyBackend, ask: Prompter, sessionId: string, resumed: boolean): Promise<RunOutcome> {
  const secrets = new Set<string>();
  const session = backend.sessions.withSecrets(() => [...secrets]).open(sessionId);
  const { subscriptionId, resourceGroup, workspace, location } = session.data.target;
  const ctx: WorkspaceContext = { port: backend.port, ws: { subscriptionId, resourceGroup, workspace, location } };
  const controller = new AbortController();
  const stop = () => controller.abort(new Error("stopped by the person"));
  ask.interrupted.addEventListener("abort", stop);
  if (ask.interrupted.aborted) stop();
  const view = ask.follow({ sessionId, services: session.data.services.map((s) => s.name) });
  const finished: ServiceFinished[] = [];
  let questions: Promise<unknown> = Promise.resolve();
  try {
    const status = await runMigration({
      port: backend.port,
      session,
      secrets,
      signal: controller.signal,
      concurrency: CONCURRENCY,
      readRequests: backend.readRequests,
      callers: { command: backend.command, caPem: backend.sandboxCaPem },
      resumed,
      emit: (e) => {
        view.event(e);
        if (e.type === "service-finished") finished.push(e);
        if (e.type !== "needs-input") return;
        const { respond, type: _type, ...request } = e;
        const plan = session.data.services.find((s) => s.name === e.service)!.plan;
        // A question left unanswered (Ctrl+C at it) stops the run as Ctrl+C does anywhere else.
        questions = questions.then(() =>
          askWhatNow(ask, request, plan, ctx, backend.command).then(respond, () => {
            stop();
            respond({ choice: "stop" });
          }),
        );
      },
    });
    return { status, sessionId, target: session.data.target, finished, plans: Object.fromEntries(session.data.services.map((s) => [s.name, s.plan])) };
  } finally {
    view.end();
    ask.interrupted.removeEventListener("abort", stop);
    session.release();
  }
}

const CHOICE_TEXT: Record<InputChoice, { name: string; description: string }> = {
  retry: { name: "Retry with the plan as it is", description: "Apply the plan again to what is there." },
  adapt: { name: "Change the plan, then retry", description: "Another environment, VM size, instance count or timeout." },
  stop: { name: "Stop this service here", description: "Leave it as it is; resume picks it up later." },
  accept: { name: "Move the traffic anyway", description: "The differences are acceptable; the report stays in the session's folder." },
};

/** One question of the engine: what was found and how it differs from the plan, then retry, change the plan, or stop. */
export async function askWhatNow(
  ask: Prompter,
  request: InputRequest,
  plan: MigrationPlan,
  ctx?: WorkspaceContext,
  command?: CommandLine,
): Promise<InputAnswer> {
  // What happened is on screen already (the run's view shows the failure); the question adds how it differs and what Azure advises.
  const text = [
    ...(request.differences ?? []).map((d) => `  ${d.field}: planned ${d.planned}, Azure has ${d.actual}`),
    ...(request.error?.nextStep ? [`Next: ${withCommandLine(request.error.nextStep, command)}`] : []),
    ...(request.report ? [request.message, "The report, with the disagreements side by side:", request.report] : []),
  ].join("\n");
  const choice = await ask.select(
    `What now for ${request.service}?`,
    request.choices.map((value) => ({ value, ...CHOICE_TEXT[value] })),
    {
      ...(text ? { details: { title: `${request.service} · ${request.step}`, text } } : {}),
    },
  );
  return choice === "adapt" ? { choice, overrides: await askAdaptation(ask, plan, ctx) } : { choice };
}

/** The result of a run for people, then an offer to retire the old services whose migration was proven. */
export async function closeRun(backend: JourneyBackend, ask: Prompter, outcome: RunOutcome, o: { offerRetire: boolean }): Promise<void> {
  if (outcome.finished.length)
    ask.say(renderResults(outcome.finished, outcome.plans, { decorated: ask.decorated, command: backend.command, workspace: outcome.target.workspace }));
  if (o.offerRetire) await offerRetirement(backend, ask, outcome);
}
