/** Where a command writes. Commands never touch process.stdout directly, so tests can capture them. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether colour and other decoration suit the output (a TTY without NO_COLOR, not a dumb terminal). */
  readonly decorated: boolean;
  /** The terminal's width, when stdout is one (tables and long lines are laid out to it; 80 when unknown). */
  readonly columns?: number;
}

export const processIo: CommandIo = {
  out: (text) => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => void process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  get decorated() {
    return Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== "dumb";
  },
  get columns() {
    return process.stdout.isTTY ? process.stdout.columns : undefined;
  },
};
