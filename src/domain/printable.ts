/** `printable` for each line of a message: its line breaks stay, every other control character is escaped. */
export function printableLines(text: string): string {
  return text
    .split("\n")
    .map((line) => printable(line, 4000))
    .join("\n");
}

/**
 * Text from the user's input made safe to echo in a message: control characters (escape sequences, NULs, a
 * binary file's bytes) become `\xNN`/`\uNNNN`, and very long values are cut. A terminal never receives raw bytes
 * from a file it was only asked to read.
 */
export function printable(text: string, max = 120): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const control = code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0xfffd || (code >= 0x2028 && code <= 0x2029);
    out += control ? (code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`) : ch;
    if (out.length > max) return `${out.slice(0, max)}…`;
  }
  return out;
}
