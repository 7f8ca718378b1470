/** How long the process may stay after its result before it is ended. */
export const GRACE_AFTER_RESULT_MS = 1000;

/**
 * Called once the command has printed its result and every piece of work it awaited has ended. Whatever still
 * holds the event loop then (a connection a server keeps open after its answer, a timer a library set, a child a
 * library started) would keep the user waiting for nothing: Node's HTTP server keeps a connection that never sent a
 * whole request for 60-90 s (headersTimeout, checked every 30 s), as long as a run was once seen to linger. So the
 * process ends at most a grace period after its result; with `report` (--verbose) it says what was still open, so the
 * holder can be found and closed.
 */
export function endSoonAfterResult(report?: (line: string) => void, graceMs = GRACE_AFTER_RESULT_MS): void {
  const timer = setTimeout(() => {
    report?.(`  still open ${graceMs} ms after the result, so ended: ${stillOpen().join(", ")}`);
    process.exit();
  }, graceMs);
  timer.unref(); // a process with nothing left open ends at once, as it always did
}

/** The kinds of what holds the event loop (Node's names: TCPSocketWrap, ProcessWrap, Timeout…), counted. */
function stillOpen(): string[] {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => (n > 1 ? `${kind} ×${n}` : kind));
}
