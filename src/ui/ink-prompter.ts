import type { MigrationEvent } from "../migration/events.js";
import { PromptCancelled, type Back, type CheckboxOptions, type Choice, type Prompter, type RunView } from "../journey/prompter.js";
import { newDeployView, onRunEvent } from "./deploy-view.js";
import type { CommandLine } from "../journey/text/command-line.js";
import { sessionStopLine } from "../journey/text/events-text.js";
import type { HostStore, OpenPrompt } from "./host-store.js";

type Opened = OpenPrompt extends infer P ? (P extends OpenPrompt ? Omit<P, "answer"> : never) : never;

export interface InkPrompter extends Prompter {
  /** The person asked to stop (Ctrl+C outside a run, or "leave now" in one). */
  interrupt(): void;
}

/**
 * The journey's face in ink, in the manner of Shopify cli-kit's prompts: each question is a component that
 * resolves on submit (here shown by the one mounted Host, so the run and the question can share the screen).
 */
export function inkPrompter(store: HostStore, o: { decorated: boolean; command: CommandLine }): InkPrompter {
  const interrupt = new AbortController();
  const filters = new Map<string, string>();
  const open = <T>(prompt: Opened): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (interrupt.signal.aborted) return reject(new PromptCancelled("stopped"));
      const id = store.id();
      const onStop = () => {
        close();
        reject(new PromptCancelled("stopped at a question"));
      };
      const close = () => {
        interrupt.signal.removeEventListener("abort", onStop);
        store.update((s) => (s.prompt?.id === id ? { ...s, prompt: undefined, help: false } : s));
      };
      interrupt.signal.addEventListener("abort", onStop);
      const answer = (value: unknown) => {
        close();
        resolve(value as T);
      };
      store.update((s) => ({ ...s, prompt: { ...prompt, id, answer } as OpenPrompt & { id: number } }));
    });
  return {
    decorated: o.decorated,
    interrupted: interrupt.signal,
    interrupt: () => interrupt.abort(new PromptCancelled("stopped by the person")),
    say: (text) => store.say(text),
    select: <T>(message: string, choices: readonly Choice<T>[], so: { default?: T; details?: { title: string; text: string } } = {}) =>
      open<T>({ kind: "select", message, choices, default: so.default, details: so.details, back: false }),
    selectOrBack: <T>(message: string, choices: readonly Choice<T>[], so: { default?: T; details?: { title: string; text: string } } = {}) =>
      open<T | Back>({ kind: "select", message, choices, default: so.default, details: so.details, back: true }),
    checkbox: <T>(message: string, choices: readonly Choice<T>[], co: CheckboxOptions<T> = {}) =>
      open<T[] | Back>({
        kind: "checkbox",
        message,
        choices,
        atLeastOne: co.atLeastOne,
        details: co.details,
        chosen: co.chosen,
        // Coming back to the same list finds the filter as it was typed.
        filter: filters.get(message),
        keepFilter: (filter: string) => void filters.set(message, filter),
      }),
    input: (message, io = {}) => open<string>({ kind: "input", message, default: io.default, validate: io.validate }),
    confirm: (message, co = {}) =>
      open<boolean>({
        kind: "select",
        message,
        choices: [
          { value: true, name: "Yes" },
          { value: false, name: "No" },
        ],
        default: co.default ?? true,
        details: co.details,
        back: false,
      }),
    working: async <T>(label: string, work: Promise<T>): Promise<T> => {
      const id = store.id();
      store.update((s) => ({ ...s, working: [...s.working, { id, label }] }));
      const stopped = new Promise<never>((_, reject) => {
        const onStop = () => reject(new PromptCancelled("stopped while working"));
        if (interrupt.signal.aborted) onStop();
        interrupt.signal.addEventListener("abort", onStop, { once: true });
        void work.finally(() => interrupt.signal.removeEventListener("abort", onStop)).catch(() => undefined);
      });
      try {
        return await Promise.race([work, stopped]);
      } finally {
        store.update((s) => ({ ...s, working: s.working.filter((w) => w.id !== id) }));
      }
    },
    follow: ({ sessionId, services }): RunView => {
      store.update((s) => ({ ...s, run: newDeployView(sessionId, services) }));
      return {
        event: (e: MigrationEvent) => {
          const now = Date.now();
          store.updateSoon((s) => {
            if (!s.run) return s;
            const { view, finished } = onRunEvent(s.run, e, now);
            const lines = finished.map((text) => ({ id: store.id(), text }));
            const closing =
              e.type === "session-finished" && e.status !== "done" ? [{ id: store.id(), text: sessionStopLine(e.sessionId, e.status, o.command) }] : [];
            // Most events (log lines, progress) finish nothing: the printed lines stay the same array.
            return { ...s, run: view, lines: lines.length || closing.length ? [...s.lines, ...lines, ...closing] : s.lines };
          });
        },
        end: () => store.update((s) => ({ ...s, run: undefined, leaving: false })),
      };
    },
  };
}
