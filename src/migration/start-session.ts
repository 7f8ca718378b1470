import type { MigrationPlan, PlanOverrides } from "../domain/plan.js";
import type { SessionStore } from "../session/journal.js";
import { newStepRecords, type SessionTarget } from "../session/session-file.js";

/** What a new session starts from, per service: the reviewed plan with the person's changes. */
export interface PlannedService {
  readonly name: string;
  readonly overrides: PlanOverrides;
  readonly codeDir?: string;
  readonly plan: MigrationPlan;
}

/**
 * Writes a new session to the journal (every step pending) and lets go of its locks, so that the run (in this
 * process or a later `resume`) opens it like any other. Resolves with its id.
 */
export function startSession(store: SessionStore, target: SessionTarget, services: readonly PlannedService[]): string {
  const created = store.create({
    status: "running",
    target,
    services: services.map((s) => ({ name: s.name, overrides: s.overrides, codeDir: s.codeDir, plan: s.plan, steps: newStepRecords(), resources: {} })),
  });
  created.release();
  return created.data.id;
}
