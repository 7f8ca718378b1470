import cliTruncate from "cli-truncate";
import stringWidth from "string-width";
import wrapAnsi from "wrap-ansi";

/**
 * Finished lines laid out for the terminal by the tool, not by the terminal: the terminal breaks a long line at
 * its last column, mid-word, and ink then counts rows it did not draw. Prose wraps at spaces with a hanging
 * indent (under a bullet's text, under a labelled value); what is copied stays whole: a URL or a `code` span is
 * never broken, and a command (a line that starts with one, or one after "…: ") stands on a line of its own, as
 * long as it is, so it pastes as printed.
 */
export function layoutForTerminal(text: string, width: number): string[] {
  const w = Math.max(20, width);
  return text.split("\n").flatMap((line) => layoutLine(line, w));
}

/**
 * The same layout for the live area, which ink redraws by counting rows: a row wider than the terminal would take
 * two and leave a ghost, so what cannot be broken (a URL, a command) is cut in the middle with "…", and `cut` says
 * so (the question then offers its whole text, printed above where the terminal keeps it).
 */
export function fitToWidth(text: string, width: number): { rows: string[]; cut: boolean } {
  const w = Math.max(20, width);
  let cut = false;
  const rows = layoutForTerminal(text, w).map((row) => {
    if (stringWidth(row) <= w) return row;
    cut = true;
    return cliTruncate(row, w, { position: "middle" });
  });
  return { rows, cut };
}

/** A printed command: a program (after an optional `KEY=$(`) and then an argument, not prose ("aci-migrate · …"). */
const PROGRAM = "(?:[A-Z_]+=\\$\\()?(?:aci-migrate|az|curl|node|npm|npx|chmod|cd|export|pip|python3?|docker|kubectl) (?=[-\\w$\"'./@~])";
const COMMAND = new RegExp(`^${PROGRAM}`);
const AFTER_COLON = new RegExp(`: (?=${PROGRAM})`);
// eslint-disable-next-line no-control-regex -- colour codes are what it matches
const LEADING = /^((?:\u001B\[[0-9;]*m)*)( *)((?:\u001B\[[0-9;]*m)*)/;
// eslint-disable-next-line no-control-regex -- colour codes are removed before matching
const COLOUR = /\u001B\[[0-9;]*m/g;
const WHOLE = /https?:\/\/\S+|`[^`]+`/g;
const NBSP = "\u00A0";

function layoutLine(line: string, width: number): string[] {
  if (stringWidth(line) <= width) return [line];
  const [lead = "", openCodes = "", spaces = "", moreCodes = ""] = LEADING.exec(line)!;
  const indent = spaces.length;
  const body = line.slice(lead.length);
  const plain = body.replace(COLOUR, "");
  if (COMMAND.test(plain)) return [line];
  if (DIFF_LINE.test(plain)) return diffRows(body, `${openCodes}${spaces}`, moreCodes, width - indent - 1);
  const colon = AFTER_COLON.exec(body);
  if (colon) {
    const prose = `${openCodes}${spaces}${moreCodes}${body.slice(0, colon.index + 1)}`;
    return [...layoutLine(prose, width), `${" ".repeat(indent + 2)}${body.slice(colon.index + 2)}`];
  }
  const hang = Math.min(indent + hangingOffset(plain), Math.floor(width / 2));
  const guarded = body.replace(WHOLE, (span) => span.replaceAll(" ", NBSP));
  const rows = wrapAnsi(guarded, width - indent, { hard: false, trim: false, wordWrap: true }).split("\n");
  // The first row keeps the line's own indent; the rest hang under its text, re-wrapped to what is left.
  const first = rows.shift()!;
  const rest = rows.length ? wrapAnsi(rows.map((r) => r.trimStart()).join(" "), width - hang, { hard: false, trim: true }).split("\n") : [];
  // A whole token (a URL) too long to hang goes back to the line's own indent, where it may still fit.
  const under = (r: string) => (stringWidth(r) <= width - hang ? hang : Math.min(hang, indent + 2));
  return [`${openCodes}${spaces}${moreCodes}${first.trimEnd()}`, ...rest.map((r) => `${" ".repeat(under(r))}${r}`)].map((r) => r.replaceAll(NBSP, " "));
}

/** A line of a unified diff (`-code`, `+    code`), told from a bullet (`- prose`) by what follows its marker. */
const DIFF_LINE = /^(?![+-]{3})[+-](?:[^\s+-]| {2,}|\t|$)/;

/** Code is cut where the row ends, not reflowed; every row keeps the marker, so a continuation still reads as removed or added. */
function diffRows(body: string, lead: string, codes: string, width: number): string[] {
  const marker = body[0]!;
  return wrapAnsi(`${codes}${body.slice(1)}`, Math.max(10, width), { hard: true, trim: false, wordWrap: false })
    .split("\n")
    .map((row) => `${lead}${codes}${marker}${row}`);
}

/** Where a wrapped line's continuation starts, past its indent: under a bullet's text or a labelled value. */
function hangingOffset(body: string): number {
  const bullet = /^(?:[-*•✓✗⚠!›>]|\d+\.) /.exec(body);
  if (bullet) return bullet[0].length;
  const labelled = /^(\S[^ ]*(?: \S+)*?) {2,}(?=\S)/.exec(body);
  return labelled && labelled[0].length <= 24 ? labelled[0].length : 0;
}
