/** Where a command writes. Commands never touch process.stdout directly, so tests can capture them. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether colour and other decoration suit the output (a TTY without NO_COLOR, not a dumb terminal). */
  readonly decorated: boolean;
  /** The terminal's width, when stdout is one (tables and long lines are laid out to it; 80 when unknown). */
  readonly columns?: number;
  /** What programs read (JSON, NDJSON): written as it is, never laid out for a terminal. Else `out`. */
  data?(text: string): void;
  /**
   * One line of progress on stderr that the next replaces ("" clears it); only where stderr is a terminal that
   * redraws, so logs and pipes get none of it.
   */
  status?(text: string): void;
}

/** Writes what programs read: through `data` when the io has it (called on it: HeldOutput keeps state), else `out`. */
export function writeData(io: CommandIo, text: string): void {
  if (io.data) io.data(text);
  else io.out(text);
}

/** How text for a person is laid out for the terminal stdout is (set once a command runs; see layOutForTheTerminal). */
let layout: ((text: string, width: number) => string[]) | undefined;

/**
 * From now on processIo lays out what it prints for a person to the terminal's width, as the wizard does (words
 * whole, commands and URLs on lines of their own); loaded when a command runs, so that `--help` stays light.
 */
export async function layOutForTheTerminal(): Promise<void> {
  if (process.stdout.isTTY) layout = (await import("../ui/terminal-text.js")).layoutForTerminal;
}

const write = (stream: NodeJS.WriteStream, text: string) => void stream.write(text.endsWith("\n") ? text : `${text}\n`);

export const processIo: CommandIo = {
  out: (text) => write(process.stdout, layout && process.stdout.columns ? layout(text, process.stdout.columns).join("\n") : text),
  data: (text) => write(process.stdout, text),
  err: (text) => write(process.stderr, text),
  status: (text) => {
    if (!process.stderr.isTTY || process.env.TERM === "dumb") return;
    const width = Math.max(10, (process.stderr.columns ?? 80) - 1);
    process.stderr.write(`\r\x1b[K${text.length > width ? text.slice(0, width) : text}`);
  },
  get decorated() {
    return Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== "dumb";
  },
  get columns() {
    return process.stdout.isTTY ? process.stdout.columns : undefined;
  },
};
