import { BACK, PromptCancelled, type Prompter } from "../../src/journey/prompter.js";
import type { MigrationEvent } from "../../src/migration/events.js";

/** An answer: a value, or a function of the choices' values (to pick by what is offered). */
type Answer = unknown | ((values: unknown[], names: string[]) => unknown);

/**
 * A fake face: answers each question from a script keyed by the start of its message, in order, and records
 * what was asked, said and shown. A question the script does not expect fails the test (as PromptCancelled
 * would end the journey, the message says which).
 */
export function scriptedPrompter(script: Record<string, Answer[]>): Prompter & { asked: string[]; said: string[]; events: MigrationEvent[] } {
  const asked: string[] = [];
  const said: string[] = [];
  const events: MigrationEvent[] = [];
  const answer = (message: string, values: unknown[], names: string[] = []): unknown => {
    asked.push(message);
    const key = Object.keys(script)
      .filter((k) => message.startsWith(k))
      .sort((a, b) => b.length - a.length)[0];
    if (!key || !script[key]!.length) throw new PromptCancelled(`unexpected question: ${message}`);
    const a = script[key]!.shift();
    return typeof a === "function" ? (a as (v: unknown[], n: string[]) => unknown)(values, names) : a;
  };
  return {
    asked,
    said,
    events,
    decorated: false,
    interrupted: new AbortController().signal,
    say: (text) => void said.push(text),
    select: async (message, choices) =>
      answer(
        message,
        choices.map((c) => c.value),
        choices.map((c) => c.name),
      ) as never,
    selectOrBack: async (message, choices) =>
      answer(
        message,
        [...choices.map((c) => c.value), BACK],
        choices.map((c) => c.name),
      ) as never,
    checkbox: async (message, choices) =>
      answer(
        message,
        choices.map((c) => c.value),
        choices.map((c) => c.name),
      ) as never,
    input: async (message) => answer(message, []) as string,
    confirm: async (message) => answer(message, [true, false]) as boolean,
    working: (_label, work) => work,
    follow: () => ({ event: (e) => void events.push(e), end: () => undefined }),
  };
}
