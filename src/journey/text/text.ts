import { stripVTControlCharacters } from "node:util";
import { Chalk, type ChalkInstance } from "chalk";

/** A chalk that colours only when the output is decorated (TTY, no NO_COLOR), so piped text stays plain. */
export function paint(decorated: boolean): ChalkInstance {
  return new Chalk({ level: decorated ? 1 : 0 });
}

/** Pads cells into aligned columns; widths ignore ANSI colour codes. */
export function columns(rows: readonly (readonly string[])[], indent = "  ", gap = "  "): string {
  const visible = (s: string) => stripVTControlCharacters(s).length;
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
