import { describe, expect, it } from "vitest";
import { linesAfter, START_OF_LOG, type LogCursor } from "../../src/migration/log-tail.js";

/** A log that grows by `add` lines a poll, read as its last `tail` lines, as Azure's getLogs answers. */
function readAll(total: number, add: number, tail: number): string[] {
  const log: string[] = [];
  const seen: string[] = [];
  let cursor: LogCursor = START_OF_LOG;
  while (log.length < total) {
    for (let i = 0; i < add && log.length < total; i++) log.push(`line ${log.length} ${log.length % 3 === 0 ? "ok" : "scored"}`);
    const r = linesAfter(cursor, log.slice(-tail));
    seen.push(...r.lines);
    cursor = r.cursor;
  }
  return seen;
}

describe("reading container logs by their tail", () => {
  it("emits each line once, in order, however long the log grows", () => {
    const seen = readAll(10_000, 500, 1000);
    expect(seen).toHaveLength(10_000);
    expect(seen[0]).toBe("line 0 ok");
    expect(seen.at(-1)).toBe("line 9999 ok");
    expect(new Set(seen).size).toBe(10_000);
  });

  it("emits nothing for a poll with nothing new", () => {
    const first = linesAfter(START_OF_LOG, ["a", "b"]);
    expect(first.lines).toEqual(["a", "b"]);
    const again = linesAfter(first.cursor, ["a", "b"]);
    expect(again.lines).toEqual([]);
  });

  it("repeated lines are told apart by what precedes them", () => {
    const first = linesAfter(START_OF_LOG, ["x", "ready", "ready"]);
    expect(linesAfter(first.cursor, ["x", "ready", "ready", "ready"]).lines).toEqual(["ready"]);
  });

  it("a restarted container's log (the lines seen are gone) is read from its start", () => {
    const first = linesAfter(START_OF_LOG, ["old 1", "old 2"]);
    expect(linesAfter(first.cursor, ["new 1"]).lines).toEqual(["new 1"]);
  });
});
