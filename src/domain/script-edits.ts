/**
 * A change of one line: `before` at `column` of line `line` (1-based) becomes `after`. An `after` that holds a
 * newline adds lines (an `import os` put before the first line).
 */
export interface ScriptEdit {
  readonly line: number;
  readonly column: number;
  readonly before: string;
  readonly after: string;
}

/**
 * The script with the edits made. An edit whose `before` is not where it says (the script changed since it was
 * scanned) is not made: the result says which were. The same edit asked for twice is made once.
 */
export function applyEdits(source: string, edits: readonly ScriptEdit[]): { text: string; applied: number } {
  const lines = source.split("\n");
  let applied = 0;
  // Right to left within a line, so earlier columns stay valid.
  for (const e of uniqueEdits(edits).sort((a, b) => b.line - a.line || b.column - a.column)) {
    const line = lines[e.line - 1];
    if (line === undefined || line.slice(e.column, e.column + e.before.length) !== e.before) continue;
    lines[e.line - 1] = line.slice(0, e.column) + e.after + line.slice(e.column + e.before.length);
    applied++;
  }
  return { text: lines.join("\n"), applied };
}

export function uniqueEdits(edits: readonly ScriptEdit[]): ScriptEdit[] {
  const seen = new Map<string, ScriptEdit>();
  for (const e of edits) seen.set(JSON.stringify([e.line, e.column, e.before, e.after]), e);
  return [...seen.values()];
}

/** The edits as a unified diff of the one file (what the plan, the wizard and plain mode show before it is accepted). */
export function editsAsDiff(file: string, source: string, edits: readonly ScriptEdit[]): string {
  const before = source.split("\n");
  const after = applyEdits(source, edits).text.split("\n");
  // Lines an edit added shift the ones after it: map each edited line of the old text to its lines in the new.
  const out = [`--- a/${file}`, `+++ b/${file}`];
  let shift = 0;
  const added = new Map<number, number>();
  for (const e of uniqueEdits(edits)) added.set(e.line, (added.get(e.line) ?? 0) + (e.after.split("\n").length - 1));
  for (let line = 1; line <= before.length; line++) {
    const grew = added.get(line);
    if (grew === undefined) continue;
    const now = after.slice(line - 1 + shift, line + shift + grew);
    if (now.length === 1 && now[0] === before[line - 1]) continue;
    out.push(`@@ -${line},1 +${line + shift},${now.length} @@`, `-${before[line - 1]}`, ...now.map((l) => `+${l}`));
    shift += grew;
  }
  return out.join("\n");
}
