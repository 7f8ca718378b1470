import type { SessionStore } from "./journal.js";

/**
 * Notes in the session that migrated it that the old v1 service is gone (retired), so that a later rollback can say
 * it would leave nothing serving the callers. The service is deleted already when this runs: a session another
 * process holds right now (or one that cannot be read) only loses that note, which is said by the result.
 */
export function recordRetired(store: SessionStore, sessionId: string, service: string, now = new Date()): boolean {
  try {
    const open = store.open(sessionId);
    try {
      open.update((s) => {
        const entry = s.services.find((x) => x.name === service);
        if (entry) entry.retiredAt = now.toISOString();
      });
      return true;
    } finally {
      open.release();
    }
  } catch {
    return false;
  }
}
