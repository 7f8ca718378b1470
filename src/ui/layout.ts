import type { OpenPrompt } from "./host-store.js";
import stringWidth from "string-width";
import type { Choice } from "../journey/prompter.js";
import { fitToWidth } from "./terminal-text.js";

/** Text wrapped to a width, never wider: the live area's rows (see fitToWidth). */
export function wrapLines(text: string, width: number): string[] {
  return fitToWidth(text, width).rows;
}

/** The visible slice of a long list around the cursor. */
export function windowOf<T>(items: readonly T[], cursor: number, size: number): { start: number; items: readonly T[] } {
  const start = Math.max(0, Math.min(cursor - Math.floor(size / 2), items.length - size));
  return { start, items: items.slice(start, start + size) };
}

/** The rows a list question takes with `rows` to spend: its message, its list (at least 3), the lines under it, and the text it stands on. */
export function listRows(o: { rows: number; message: number; choices: number; details?: number; below?: number }): {
  choices: number;
  details: number;
  total: number;
} {
  const fixed = o.message + 2 + Math.max(1, o.below ?? 1); // "n of m", the footer, and the notice or what is under the list
  const choices = Math.min(o.choices, Math.max(3, o.rows - fixed - (o.details ? 6 : 0)));
  const details = o.details ? Math.max(0, Math.min(o.details, o.rows - fixed - choices - 3 /* title, where, margin */)) : 0;
  return { choices, details, total: fixed + choices + (details ? details + 3 : 0) };
}

/** The rows the open question needs out of `rows` (the run, when one runs, gets the rest). */
export function promptRows(prompt: OpenPrompt, columns: number, rows: number): number {
  const message = wrapLines(prompt.message, columns).length;
  if (prompt.kind === "input") return message + 3;
  const below = Math.max(1, ...prompt.choices.map((c) => underTheList(c, columns, prompt.kind === "checkbox").length));
  return listRows({ rows, message, choices: prompt.choices.length, below, details: prompt.details ? wrapLines(prompt.details.text, columns - 2).length : 0 })
    .total;
}

/** A list entry as its row shows it: its name, and why it cannot be chosen. */
export const entryText = (c: Choice<unknown>): string => `${c.name}${c.disabled ? `  (${c.disabled})` : ""}`;

/** What is shown under a list for the entry under the cursor: the entry whole when its row cuts it, then its description. */
export function underTheList(c: Choice<unknown> | undefined, columns: number, multi: boolean): string[] {
  if (!c) return [];
  const cut = stringWidth(entryText(c)) > columns - (multi ? 6 : 2);
  const text = [...(cut ? [entryText(c)] : []), ...(c.description ? [c.description] : [])].join("\n");
  return text ? wrapLines(text, columns) : [];
}
