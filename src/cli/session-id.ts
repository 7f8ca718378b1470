import { UserFixableError } from "../domain/errors.js";
import type { SessionStore } from "../session/journal.js";

/** What a session id argument may say instead of an id: the newest session of the state directory. */
export const LATEST_SESSION = "latest";

/**
 * The id a command was given, with `latest` read as the newest session there is (by its start time), so
 * that an example or a script can name "the one I just ran" without copying an id from `aci-migrate sessions`.
 */
export function sessionIdOf(store: SessionStore, given: string): string {
  if (given !== LATEST_SESSION) return given;
  // By start time (ids of sessions started within one second differ only in their random part).
  const newest = store
    .list()
    .filter((s) => s.session)
    .sort((a, b) => b.session!.createdAt.localeCompare(a.session!.createdAt))[0]?.id;
  if (newest) return newest;
  throw new UserFixableError(`There are no sessions in ${store.stateDir} yet, so there is no latest one.`, {
    nextStep: "Start one with `aci-migrate migrate`, or name the state directory that has them (--state-dir).",
    kind: "input",
  });
}
