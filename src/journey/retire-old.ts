import { recordRetired } from "../session/retired.js";
import type { JourneyBackend } from "./backend.js";
import type { MigrationEvent } from "../migration/events.js";
import type { SessionTarget } from "../session/session-file.js";
import { BACK, type Prompter } from "./prompter.js";
import { followUp } from "./text/command-line.js";

type Proven = Extract<MigrationEvent, { type: "service-finished" }>;

/** What a run ended with, as far as retiring goes. */
export interface FinishedRun {
  readonly sessionId: string;
  readonly target: SessionTarget;
  readonly finished: readonly Proven[];
}

/**
 * Offers to delete each old ACI service whose migration was proven (migrated, smoke test passed). One service is
 * confirmed by typing its name; several are chosen in one list and confirmed once by typing how many, so a batch
 * of six asks twice, not six times. What is kept gets one command that retires it later, all of it at once.
 */
export async function offerRetirement(backend: JourneyBackend, ask: Prompter, outcome: FinishedRun): Promise<void> {
  const proven = outcome.finished.filter((f) => f.status === "migrated" && f.smokeTest?.status === "passed");
  if (!proven.length) return;
  const chosen = proven.length === 1 ? await askOne(ask, proven[0]!) : await askSeveral(ask, proven);
  const failed: string[] = [];
  for (const f of chosen) {
    try {
      await ask.working(`Retiring ${f.service}`, backend.deleteV1Service(outcome.target, f.service));
      recordRetired(backend.sessions, outcome.sessionId, f.service); // a rollback of it then warns
      ask.say(`✓ ${f.service} retired.`);
    } catch (e) {
      failed.push(f.service);
      ask.say(`Could not retire ${f.service}: ${(e as Error).message.split("\n")[0]}. It is still there.`);
    }
  }
  const kept = proven.filter((f) => !chosen.includes(f)).map((f) => f.service);
  const later = (names: readonly string[]) =>
    followUp(backend.command, `retire -w ${outcome.target.workspace} ${names.map((n) => `--service ${n}`).join(" ")} --yes`);
  if (failed.length) ask.say(`Try again later with: ${later(failed)}`);
  if (kept.length)
    ask.say(`${kept.join(", ")} ${kept.length === 1 ? "stays" : "stay"}; retire ${kept.length === 1 ? "it" : "them"} later with: ${later(kept)}`);
}

/** One service: its name typed deletes it (anything else keeps it, and says so). */
async function askOne(ask: Prompter, f: Proven): Promise<Proven[]> {
  const typed = await ask.input(
    `Retire the old ACI service ${f.service} now? Its callers stop working unless they moved to ${f.endpointName}. Type its name to delete it, or press Enter to keep it:`,
  );
  if (typed.trim() === f.service) return [f];
  if (typed.trim()) ask.say(`"${typed.trim()}" is not ${f.service}.`);
  return [];
}

/** Several: ticked in one list (none ticked keeps them all), then "retire N" typed once for all of them. */
async function askSeveral(ask: Prompter, proven: readonly Proven[]): Promise<Proven[]> {
  const picked = await ask.checkbox(
    `Retire old ACI services now? Their callers stop working unless they moved to the new endpoints. (Space selects, Enter goes on; none keeps them all)`,
    proven.map((f) => ({ value: f.service, name: `${f.service} → ${f.endpointName}` })),
  );
  if (picked === BACK || !picked.length) return [];
  const chosen = proven.filter((f) => picked.includes(f.service));
  const word = `retire ${chosen.length}`;
  const typed = await ask.input(`Type "${word}" to delete ${chosen.map((f) => f.service).join(", ")} for good, or press Enter to keep them:`);
  if (typed.trim() === word) return chosen;
  if (typed.trim()) ask.say(`"${typed.trim()}" is not "${word}"; nothing was retired.`);
  return [];
}
