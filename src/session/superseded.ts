import type { SessionStore, SessionSummary } from "./journal.js";
import type { SessionFile } from "./session-file.js";

const ENDED_SHORT = new Set(["interrupted", "failed", "cancelled"]);

/**
 * Where a session stands for the lists (`sessions`, the wizard's start question): what the journal says
 * (store.activity), except that one which ended short (killed, failed, cancelled) is `superseded` once later
 * sessions of the same workspace migrated every one of its services: resuming it would only redo that work.
 */
export function standingOf(store: SessionStore, summary: SessionSummary, all: readonly SessionSummary[]): ReturnType<SessionStore["activity"]> | "superseded" {
  const activity = store.activity(summary);
  return activity && ENDED_SHORT.has(activity) && supersededBy(summary, all).length ? "superseded" : activity;
}

/** The later sessions of the same workspace that migrated this one's services, when together they migrated all. */
export function supersededBy(summary: SessionSummary, all: readonly SessionSummary[]): string[] {
  const session = summary.session;
  if (!session) return [];
  // By start time, not id: two sessions started within a second differ only in their ids' random part.
  const later = all.filter((s) => s.session && s.session.createdAt > session.createdAt && sameWorkspace(s.session, session));
  const by = session.services.map((x) => later.filter((s) => s.session!.services.some((y) => y.name === x.name && y.outcome?.status === "migrated")));
  if (by.some((sessions) => !sessions.length)) return [];
  return [...new Set(by.flat().map((s) => s.id))].sort();
}

function sameWorkspace(a: SessionFile, b: SessionFile): boolean {
  const key = (s: SessionFile) => [s.target.armEndpoint, s.target.subscriptionId, s.target.resourceGroup, s.target.workspace].join("\n").toLowerCase();
  return key(a) === key(b);
}
