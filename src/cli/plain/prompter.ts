import { checkbox, confirm, input, select } from "@inquirer/prompts";
import type { MigrationEvent } from "../../migration/events.js";
import { BACK, PromptCancelled, type Choice, type Details, type Prompter } from "../../journey/prompter.js";
import type { CommandLine } from "../../journey/text/command-line.js";
import { paint } from "../../journey/text/text.js";
import { eventPrinter } from "../drive-session.js";
import type { CommandIo } from "../io.js";
import { layoutForTerminal } from "../../ui/terminal-text.js";
import { HeldOutput } from "./held-output.js";

/** Screen readers read the list as it is drawn; a page of 12 keeps it short, and the list does not wrap around. */
const PAGE_SIZE = 12;

export interface PlainPrompter extends Prompter {
  /** Where lines go: held back while a question is open (the engine's events print through it too). */
  readonly output: CommandIo;
  /** Stops listening for Ctrl+C and SIGTERM (the journey is over). */
  dispose(): void;
}

/**
 * The journey's face for screen readers and dumb terminals: questions asked one after another with
 * @inquirer/prompts, and everything else as lines that never redraw (held back while a question is open, so they
 * never garble it). "← Back" is a choice of its own. Ctrl+C at a question, or SIGINT/SIGTERM, stops the journey.
 */
export function plainPrompter(
  io: CommandIo,
  o: { command: CommandLine; logs?: boolean; columns?: number; streams?: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream } },
): PlainPrompter {
  // A terminal's io (processIo) lays lines out to its width itself; `columns` lays them out for another io.
  const columns = o.columns;
  const out = new HeldOutput(columns ? { ...io, out: (t: string) => io.out(layoutForTerminal(t, columns).join("\n")) } : io);
  const c = paint(io.decorated);
  // Questions go to the terminal: to stderr when stdout is piped into a file or another program.
  const interrupt = new AbortController();
  // A signal ends the open question too (inquirer rejects with AbortPromptError).
  const context = { ...(o.streams ?? (process.stdout.isTTY ? {} : { output: process.stderr })), signal: interrupt.signal };
  // A dumb terminal (or NO_COLOR) gets no bold or colour in the questions; the prompts still redraw their line.
  const theme = process.env.TERM === "dumb" || process.env.NO_COLOR ? { theme: PLAIN_THEME } : {};
  const onSignal = () => interrupt.abort(new PromptCancelled("stopped by a signal"));
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const ask = <T>(details: Details | undefined, prompt: () => Promise<T>): Promise<T> => {
    if (interrupt.signal.aborted) return Promise.reject(new PromptCancelled("stopped"));
    return out.ask(async (say) => {
      if (details) say(`${c.bold(details.title)}\n${details.text}`);
      return cancellable(prompt());
    });
  };
  const withBack = <T>(choices: readonly Choice<T>[]) => [
    ...choices.map(toInquirer),
    { value: BACK as T | typeof BACK, name: "← Back", disabled: false as const },
  ];
  const prompter: PlainPrompter = {
    decorated: io.decorated,
    output: out,
    interrupted: interrupt.signal,
    say: (text) => out.out(text),
    select: (message, choices, so = {}) =>
      ask(so.details, () => select({ message, choices: choices.map(toInquirer), default: so.default, pageSize: PAGE_SIZE, loop: false, ...theme }, context)),
    selectOrBack: (message, choices, so = {}) =>
      ask(so.details, () => select({ message, choices: withBack(choices), default: so.default, pageSize: PAGE_SIZE, loop: false, ...theme }, context)),
    checkbox: (message, choices, co = {}) =>
      ask(co.details, async () => {
        const chosen = await checkbox(
          {
            message,
            choices: withBack(choices).map((c) => ({ ...c, checked: co.chosen?.includes(c.value as never) ?? false })),
            pageSize: PAGE_SIZE,
            loop: false,
            ...theme,
            validate: (picked) => (co.atLeastOne && !picked.length ? co.atLeastOne : true),
          },
          context,
        );
        return chosen.includes(BACK) ? BACK : (chosen as never[]);
      }),
    input: (message, io2 = {}) => ask(undefined, () => input({ message, default: io2.default, validate: io2.validate, ...theme }, context)),
    confirm: (message, co = {}) => ask(co.details, () => confirm({ message, default: co.default, ...theme }, context)),
    working: (_label, work) => work,
    follow: () => {
      const print = eventPrinter(out, false, o.command, { logs: o.logs });
      return { event: (e: MigrationEvent) => print(e), end: () => undefined };
    },
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
  return prompter;
}

const same = (text: string) => text;
/** Every style of @inquirer/core's theme as plain text (the prefix and cursor keep their characters). */
const PLAIN_THEME = {
  style: {
    answer: same,
    message: same,
    error: (t: string) => `> ${t}`,
    defaultAnswer: (t: string) => `(${t})`,
    help: same,
    highlight: same,
    key: same,
    description: same,
    disabled: same,
    disabledChoice: same,
  },
} as const;

function toInquirer<T>(c: Choice<T>) {
  return { value: c.value, name: c.name, description: c.description, disabled: c.disabled ? `(${c.disabled})` : false };
}

async function cancellable<T>(prompt: Promise<T>): Promise<T> {
  try {
    return await prompt;
  } catch (e) {
    if ((e as Error)?.name === "ExitPromptError" || (e as Error)?.name === "AbortPromptError") throw new PromptCancelled("cancelled at a question");
    throw e;
  }
}
