import type { InputAnswer, InputRequest } from "../migration/events.js";

/**
 * How the commands answer the engine's questions without a person at the keyboard (they run only with --yes):
 * a resource that failed in an earlier run or differs from the plan gets the plan applied again (what --yes
 * agreed to); one that has just failed is left as it is, since the same PUT would fail the same way; a replay
 * that does not pass stops before traffic moves (--yes agreed to the gate, not to its failure). The
 * session stays resumable; `migrate` with changed flags (e.g. --environment, --sku) tries again with them.
 */
export function answerWithoutAsking(request: InputRequest): InputAnswer {
  return request.situation === "failed-now" || request.situation === "disagrees" ? { choice: "stop" } : { choice: "retry" };
}
