import type { MigrationPlan } from "../../domain/plan.js";
import type { InputAnswer, InputChoice, InputRequest } from "../../migration/events.js";
import { askAdaptation } from "./edit-plan.js";
import type { HeldOutput } from "./held-output.js";
import type { Prompter } from "./prompter.js";

const CHOICE_TEXT: Record<InputChoice, { name: string; description: string }> = {
  retry: { name: "Retry with the plan as it is", description: "Apply the plan again to what is there." },
  adapt: { name: "Change the plan, then retry", description: "A VM size, instance count, timeout or environment." },
  stop: { name: "Stop this service here", description: "Leave it as it is; `aci-migrate resume` picks it up later." },
};

/**
 * Answers the engine's questions by asking the person at the terminal, one question at a time while the other
 * services' lines wait: what was found, how it differs from the plan, then retry, change the plan, or stop.
 */
export function askWhatNow(ask: Prompter, out: HeldOutput): (request: InputRequest, plan: MigrationPlan) => Promise<InputAnswer> {
  return (request, plan) =>
    out.ask(async (say) => {
      // The event's own line (what happened, the choices) and the likely cause are printed just before.
      for (const d of request.differences ?? []) say(`    ${d.field}: planned ${d.planned}, Azure has ${d.actual}`);
      if (request.error?.nextStep) say(`    Next: ${request.error.nextStep}`);
      const choice = await ask.select(
        `What now for ${request.service}?`,
        request.choices.map((value) => ({ value, ...CHOICE_TEXT[value] })),
      );
      return choice === "adapt" ? { choice, overrides: await askAdaptation(ask, plan) } : { choice };
    });
}
