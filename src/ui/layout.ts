import wrapAnsi from "wrap-ansi";

/**
 * Text wrapped to a width, never cut: colour codes kept, words broken only when longer than the width, and a
 * wrapped line's continuation indented as the line itself (the plan's findings keep their columns).
 */
export function wrapLines(text: string, width: number): string[] {
  const w = Math.max(10, width);
  return text.split("\n").flatMap((line) => {
    const indent = /^ */.exec(line)![0].length; // spaces before any colour code
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

/** How the terminal's rows are shared: the run panel, the question's text and its list, the footer. */
export function shareRows(rows: number, o: { run: number; choices: number; message: number; details: boolean }): { run: number; choices: number; details: number } {
  const fixed = o.message + 1 /* footer */ + 1 /* error or notice */;
  const choices = Math.min(o.choices, Math.max(3, Math.floor((rows - fixed) / 3)));
  const run = Math.min(o.run, Math.max(0, Math.floor((rows - fixed - choices) / (o.details ? 3 : 1))));
  const details = o.details ? Math.max(3, rows - fixed - choices - run - 2 /* its title and a margin */) : 0;
  return { run, choices, details };
}
