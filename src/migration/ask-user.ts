import { UserFixableError } from "../domain/errors.js";
import { buildPlan, InvalidOverridesError } from "../domain/plan.js";
import type { AdaptOverrides, InputAnswer, InputRequest } from "./events.js";
import type { ServiceRun } from "./service-run.js";

/**
 * Asks whoever renders the events (`needs-input`) and waits for the answer; cancelling the run cancels the
 * question. Never decides by itself: a resource that failed or differs is the user's call.
 */
export function askUser(run: ServiceRun, request: Omit<InputRequest, "service">): Promise<InputAnswer> {
  return new Promise<InputAnswer>((resolve, reject) => {
    if (run.signal?.aborted) return reject(run.signal.reason);
    const onAbort = () => reject(run.signal!.reason);
    run.signal?.addEventListener("abort", onAbort, { once: true });
    let answered = false;
    run.session.flush(); // what the run has noted is on disk while it waits for a person, who may leave
    run.emit({
      type: "needs-input",
      service: run.entry.name,
      ...request,
      respond: (answer) => {
        if (answered || run.signal?.aborted) return; // a second or late answer is ignored, not applied
        answered = true;
        run.signal?.removeEventListener("abort", onAbort);
        if (!request.choices.includes(answer.choice)) {
          reject(new Error(`"${answer.choice}" was not one of the choices (${request.choices.join(", ")}).`));
          return;
        }
        run.emit({ type: "input-received", service: run.entry.name, step: request.step, answer });
        resolve(answer);
      },
    });
  });
}

/**
 * Asks, then carries out the answer: `retry` returns (the caller applies the plan again), `adapt` changes the
 * plan and returns, `stop` throws: `stopWith` (the failure that caused the question) or a message that says
 * nothing was changed.
 */
export async function settle(run: ServiceRun, request: Omit<InputRequest, "service">, stopWith?: unknown): Promise<void> {
  const answer = await askUser(run, request);
  if (answer.choice === "retry") return;
  if (answer.choice === "adapt") return adaptPlan(run, answer.overrides);
  throw (
    stopWith ??
    new UserFixableError(`${request.message} Left as it is, as you chose.`, {
      nextStep: `Resume when ready (\`aci-migrate resume ${run.session.data.id}\`); the ${request.resource} is reconciled again then.`,
      kind: "state",
    })
  );
}

/** Re-plans the service with the changed settings and journals the new plan (the names and endpoint stay). */
function adaptPlan(run: ServiceRun, overrides: AdaptOverrides): void {
  const merged = { ...run.entry.overrides, ...overrides };
  let plan;
  try {
    plan = buildPlan(run.service!, merged);
  } catch (e) {
    if (!(e instanceof InvalidOverridesError)) throw e;
    throw new UserFixableError(`The changed settings are not valid: ${e.problems.map((p) => p.message).join(" ")}`, {
      nextStep: "Choose other values and retry.",
      kind: "input",
    });
  }
  if (plan.blockers.length) {
    throw new UserFixableError(`With those settings the plan for ${run.entry.name} is blocked by: ${plan.blockers.join(", ")}.`, {
      nextStep: "Choose other values and retry.",
      kind: "state",
    });
  }
  run.session.update(() => {
    run.entry.overrides = merged;
    run.entry.plan = plan;
  });
}
