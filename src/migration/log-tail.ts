/**
 * Container logs are read as their last lines (`tail`), poll after poll, so how much is held never grows with
 * the log. Which of a poll's lines are new is found by where the lines already seen end in it.
 */

/** How many of a container's last lines one poll asks for: more than any container writes between two polls. */
export const LOG_TAIL_LINES = 1000;

/** How many of the lines seen last are kept to find where a new poll's lines begin. */
const ANCHOR_LINES = 20;

export interface LogCursor {
  /** The last lines emitted (at most ANCHOR_LINES). */
  readonly anchor: readonly string[];
}

export const START_OF_LOG: LogCursor = { anchor: [] };

/**
 * The lines of `tail` after those already seen, and the cursor to read the next poll with. When the lines seen
 * last are not found (the container restarted, or more than a tail was written between polls) every line is new.
 */
export function linesAfter(cursor: LogCursor, tail: readonly string[]): { lines: readonly string[]; cursor: LogCursor } {
  const anchor = cursor.anchor;
  let from = 0;
  if (anchor.length) {
    // The latest place where the anchor ends; a shorter anchor only when the tail itself is shorter.
    for (let end = tail.length; end >= Math.min(anchor.length, tail.length) && end > 0; end--) {
      const n = Math.min(anchor.length, end);
      let same = true;
      for (let i = 1; i <= n && same; i++) same = tail[end - i] === anchor[anchor.length - i];
      if (same) {
        from = end;
        break;
      }
    }
  }
  const lines = tail.slice(from);
  return { lines, cursor: lines.length ? { anchor: [...anchor, ...lines].slice(-ANCHOR_LINES) } : cursor };
}
