import type { OpenPrompt } from "./host-store.js";
import wrapAnsi from "wrap-ansi";

// eslint-disable-next-line no-control-regex -- colour codes are what it matches
const LEADING = /^((?:\u001B\[[0-9;]*m)*)( *)/;

/**
 * Text wrapped to a width, never cut: colour codes kept, words broken only when longer than the width, and a
 * wrapped line's continuation indented as the line itself (the plan's findings keep their columns).
 */
export function wrapLines(text: string, width: number): string[] {
  const w = Math.max(10, width);
  return text.split("\n").flatMap((raw) => {
    // Colour codes that open a line go after its indent, so the indent is seen (and kept on continuations).
    const [, codes = "", spaces = ""] = LEADING.exec(raw)!;
    const line = spaces + codes + raw.slice(codes.length + spaces.length);
    const indent = spaces.length;
    const hang = indent < w / 2 ? indent : 0;
    const body = wrapAnsi(line.slice(hang), w - hang, { hard: true, trim: false }).split("\n");
    return body.map((part, i) => (i === 0 ? line.slice(0, hang) : " ".repeat(hang)) + (i === 0 ? part : part.replace(/^ +/, "")));
  });
}

/** The visible slice of a long list around the cursor. */
export function windowOf<T>(items: readonly T[], cursor: number, size: number): { start: number; items: readonly T[] } {
  const start = Math.max(0, Math.min(cursor - Math.floor(size / 2), items.length - size));
  return { start, items: items.slice(start, start + size) };
}

/** The rows a list question takes with `rows` to spend: its message, its list (at least 3), the lines under it, and the text it stands on. */
export function listRows(o: { rows: number; message: number; choices: number; details?: number }): { choices: number; details: number; total: number } {
  const fixed = o.message + 3; // "n of m", the notice or description, the footer
  const choices = Math.min(o.choices, Math.max(3, o.rows - fixed - (o.details ? 6 : 0)));
  const details = o.details ? Math.max(0, Math.min(o.details, o.rows - fixed - choices - 3 /* title, where, margin */)) : 0;
  return { choices, details, total: fixed + choices + (details ? details + 3 : 0) };
}

/** The rows the open question needs out of `rows` (the run, when one runs, gets the rest). */
export function promptRows(prompt: OpenPrompt, columns: number, rows: number): number {
  const message = wrapLines(prompt.message, columns).length;
  if (prompt.kind === "input") return message + 3;
  return listRows({ rows, message, choices: prompt.choices.length, details: prompt.details ? wrapLines(prompt.details.text, columns - 2).length : 0 }).total;
}
