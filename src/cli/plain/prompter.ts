import { checkbox, confirm, input, select } from "@inquirer/prompts";

export interface PromptChoice<T> {
  readonly value: T;
  readonly name: string;
  readonly description?: string;
  /** Why it cannot be chosen (listed, greyed, skipped by the cursor). */
  readonly disabled?: string;
}

type Validate = (value: string) => true | string | Promise<true | string>;

/**
 * The questions plain mode asks, one at a time and in order: what @inquirer/prompts offers, narrowed to what
 * the journey needs, so the journey reads as a script of questions. Ctrl+C at a question throws PromptCancelled.
 */
export interface Prompter {
  select<T>(message: string, choices: readonly PromptChoice<T>[], o?: { default?: T }): Promise<T>;
  checkbox<T>(message: string, choices: readonly PromptChoice<T>[], o?: { atLeastOne?: string }): Promise<T[]>;
  input(message: string, o?: { default?: string; validate?: Validate }): Promise<string>;
  confirm(message: string, o?: { default?: boolean }): Promise<boolean>;
}

/** The person left a question with Ctrl+C (or the terminal closed): nothing more is asked. */
export class PromptCancelled extends Error {
  override readonly name = "PromptCancelled";
}

/** Screen readers read the list as it is drawn; a page of 12 keeps it short, and the list does not wrap around. */
const PAGE_SIZE = 12;

export function inquirerPrompter(): Prompter {
  // Questions go to the terminal: to stderr when stdout is piped into a file or another program.
  const context = process.stdout.isTTY ? {} : { output: process.stderr };
  // A dumb terminal (or NO_COLOR) gets no bold or colour in the questions; the prompts still redraw their line.
  const theme = process.env.TERM === "dumb" || process.env.NO_COLOR ? { theme: PLAIN_THEME } : {};
  return {
    select: (message, choices, o = {}) =>
      cancellable(select({ message, choices: choices.map(toInquirer), default: o.default, pageSize: PAGE_SIZE, loop: false, ...theme }, context)),
    checkbox: (message, choices, o = {}) =>
      cancellable(
        checkbox({
          message,
          choices: choices.map(toInquirer),
          pageSize: PAGE_SIZE,
          loop: false,
          ...theme,
          validate: (chosen) => (o.atLeastOne && !chosen.length ? o.atLeastOne : true),
        }, context),
      ),
    input: (message, o = {}) => cancellable(input({ message, default: o.default, validate: o.validate, ...theme }, context)),
    confirm: (message, o = {}) => cancellable(confirm({ message, default: o.default, ...theme }, context)),
  };
}

const same = (text: string) => text;
/** Every style of @inquirer/core's theme as plain text (the prefix and cursor keep their characters). */
const PLAIN_THEME = {
  style: { answer: same, message: same, error: (t: string) => `> ${t}`, defaultAnswer: (t: string) => `(${t})`, help: same, highlight: same, key: same, description: same, disabled: same, disabledChoice: same },
} as const;

function toInquirer<T>(c: PromptChoice<T>) {
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
