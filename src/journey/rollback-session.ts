import { planRollback, rollBack, rollbackLine, type RollbackPlan } from "../migration/rollback.js";
import type { SessionSummary } from "../session/journal.js";
import type { JourneyBackend } from "./backend.js";
import { BACK, type Back, type Prompter } from "./prompter.js";

/** Sessions of this side (Azure or the sandbox) that may be rolled back: any not being run right now. */
export function rollbackCandidates(backend: JourneyBackend): SessionSummary[] {
  return backend.sessions
    .list()
    .filter((s) => s.session && s.session.target.kind === backend.kind && !["running", "rolled-back"].includes(backend.sessions.activity(s) ?? ""));
}

/**
 * Undo: pick a session, see what it made in Azure and what stays (and why), then delete it on a yes. Only what
 * carries that session's tag goes; the v1 services are never touched. Resolves with BACK, or when done.
 */
export async function rollbackJourney(backend: JourneyBackend, ask: Prompter): Promise<Back | "done"> {
  const sessions = rollbackCandidates(backend);
  const id = await ask.selectOrBack(
    "Roll back which session? (what it created in Azure is deleted; the v1 services stay)",
    sessions.map((s) => ({
      value: s.id,
      name: `${s.id}  ${s.session!.target.workspace}: ${s.session!.services.map((x) => `${x.name} (${x.outcome?.status ?? "unfinished"})`).join(", ")}`,
    })),
  );
  if (id === BACK) return BACK;
  const session = backend.sessions.read(backend.sessions.fileOf(id));
  const plan = await ask.working(`Reading what session ${id} made in ${session.target.workspace}`, planRollback(backend.port, session));
  if (!plan.remove.length) {
    ask.say(`Session ${id} left nothing of its own in Azure to delete.${keptText(plan)}`);
    return "done";
  }
  const details = {
    title: `Session ${id} in ${session.target.workspace}`,
    text: [
      `Deletes:`,
      ...plan.remove.map((i) => `  ${rollbackLine(i)}`),
      ...(plan.keep.length ? ["Keeps:", ...plan.keep.map((i) => `  ${rollbackLine(i)}`)] : []),
      ...plan.warnings.map((w) => `Warning: ${w}`),
      "The v1 services are not touched.",
    ].join("\n"),
  };
  if (
    !(await ask.confirm(`Delete ${plan.remove.length === 1 ? "this resource" : `these ${plan.remove.length} resources`} from Azure?`, {
      default: false,
      details,
    }))
  ) {
    ask.say("Nothing was deleted.");
    return "done";
  }
  // The session's lock: no run of it may start while what it made is being deleted.
  const open = backend.sessions.open(id);
  try {
    await ask.working(`Rolling back session ${id}`, rollBack(backend.port, plan, { onDeleted: (i) => ask.say(`✓ deleted ${rollbackLine(i)}`) }));
    open.update((s) => void (s.rolledBackAt = new Date().toISOString()));
  } finally {
    open.release();
  }
  ask.say(`Session ${id} is rolled back: what it created in Azure is gone.`);
  return "done";
}

function keptText(plan: RollbackPlan): string {
  return plan.keep.length ? ` Kept: ${plan.keep.map(rollbackLine).join("; ")}.` : "";
}
