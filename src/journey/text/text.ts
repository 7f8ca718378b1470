import { Chalk, type ChalkInstance } from "chalk";
import stringWidth from "string-width";
import wrapAnsi from "wrap-ansi";

/** A chalk that colours only when the output is decorated (TTY, no NO_COLOR), so piped text stays plain. */
export function paint(decorated: boolean): ChalkInstance {
  return new Chalk({ level: decorated ? 1 : 0 });
}

/** Pads cells into aligned columns; widths ignore ANSI colour codes. */
export function columns(rows: readonly (readonly string[])[], indent = "  ", gap = "  "): string {
  const visible = (s: string) => stringWidth(s); // cells, not characters: 模型 takes four
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell))));
  return rows
    .map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat(widths[i]! - visible(cell)))).join(gap))
    .map((line) => line.trimEnd())
    .join("\n");
}

export function usd(n: number | null | undefined): string {
  if (n === null || n === undefined) return "unknown";
  return `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function usdPerHour(n: number | null | undefined): string {
  if (n === null || n === undefined) return "price unknown";
  return `$${n.toFixed(4).replace(/0{1,2}$/, "")}/h`;
}

const WIDTH = 80;

/**
 * Lines wrapped at word boundaries to `width`, each continuation indented under the first. A word longer than the
 * line (a path) stays whole on a line of its own, so it can be copied.
 */
export function wrapped(text: string, indent: string, width = WIDTH): string[] {
  // The text's own indentation (a traceback's) is kept on every line it wraps to.
  const own = /^\s*/.exec(text)![0];
  return wrapAnsi(text.slice(own.length), width - indent.length - own.length, { hard: false, trim: true })
    .split("\n")
    .map((l) => indent + own + l);
}
