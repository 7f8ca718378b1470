import type { MigrationEvent } from "../migration/events.js";

/** One answer of a list question. */
export interface Choice<T> {
  readonly value: T;
  readonly name: string;
  readonly description?: string;
  /** Why it cannot be chosen (listed, greyed, skipped by the cursor). */
  readonly disabled?: string;
}

/** What the person asked to go back to the question before (Esc in the wizard, "← Back" in plain mode). */
export const BACK = Symbol("back");
export type Back = typeof BACK;

export type Validate = (value: string) => true | string | Promise<true | string>;

/**
 * Text a question stands on (a plan, a failure with its logs): printed before the question in plain mode, a
 * scrolling panel under the question's title in the wizard. Lines may carry colour; they are wrapped, never cut.
 */
export interface Details {
  readonly title: string;
  readonly text: string;
}

export interface SelectOptions<T> {
  readonly default?: T;
  readonly details?: Details;
}

export interface CheckboxOptions<T> {
  readonly atLeastOne?: string;
  readonly details?: Details;
  readonly chosen?: readonly T[];
}

/** How the face shows a run: each engine event as it comes, then the end. */
export interface RunView {
  event(e: MigrationEvent): void;
  /** The run is over (its result is said next); the live area stops. */
  end(): void;
}

/**
 * Everything the journey asks of a face. The journey (src/journey) is written once against this; the wizard
 * (src/ui, ink) and plain mode (src/cli/plain, @inquirer/prompts) implement it, as src/azure implements the
 * engine's port. A question the person leaves (Ctrl+C, a closed terminal) rejects with PromptCancelled.
 */
export interface Prompter {
  /** Whether text may carry colour. */
  readonly decorated: boolean;
  /** A line (or block) that is done: printed once, above whatever is live. */
  say(text: string): void;
  select<T>(message: string, choices: readonly Choice<T>[], o?: SelectOptions<T>): Promise<T>;
  /** As select, with a way back to the question before: resolves with BACK when taken. */
  selectOrBack<T>(message: string, choices: readonly Choice<T>[], o?: SelectOptions<T>): Promise<T | Back>;
  /** Several answers; `chosen` are ticked when it opens (the answer given before, when the person comes back to it). */
  checkbox<T>(message: string, choices: readonly Choice<T>[], o?: CheckboxOptions<T>): Promise<T[] | Back>;
  input(message: string, o?: { readonly default?: string; readonly validate?: Validate }): Promise<string>;
  confirm(message: string, o?: { readonly default?: boolean; readonly details?: Details }): Promise<boolean>;
  /** Work that takes a while and asks nothing (loading a list): the face shows it as going on. */
  working<T>(label: string, work: Promise<T>): Promise<T>;
  /** The view of one run; questions the run asks come through select while it is open. */
  follow(o: { readonly sessionId: string; readonly services: readonly string[] }): RunView;
  /**
   * Fires when the person asks to stop (Ctrl+C, SIGTERM): the journey stops its run and ends with 130. In the
   * wizard a Ctrl+C mid-run first asks whether to leave.
   */
  readonly interrupted: AbortSignal;
}

/** The person left a question with Ctrl+C (or the terminal closed): nothing more is asked. */
export class PromptCancelled extends Error {
  override readonly name = "PromptCancelled";
}
