import type { Back, Choice, Details, Validate } from "../journey/prompter.js";
import type { Container, DeployView } from "./deploy-view.js";

/** The question on screen; it resolves its promise when the person answers. */
export type OpenPrompt =
  | {
      readonly kind: "select";
      readonly message: string;
      readonly choices: readonly Choice<unknown>[];
      readonly default?: unknown;
      readonly details?: Details;
      readonly back: boolean;
      readonly answer: (value: unknown) => void;
    }
  | {
      readonly kind: "checkbox";
      readonly message: string;
      readonly choices: readonly Choice<unknown>[];
      readonly atLeastOne?: string;
      readonly details?: Details;
      readonly answer: (value: unknown[] | Back) => void;
    }
  | { readonly kind: "input"; readonly message: string; readonly default?: string; readonly validate?: Validate; readonly answer: (value: string) => void };

export interface HostState {
  /** Lines that are done, printed once above the live area (ink's Static). */
  readonly lines: readonly { readonly id: number; readonly text: string }[];
  readonly prompt?: OpenPrompt & { readonly id: number };
  /** Work going on that asks nothing (loading a list), shown with a spinner. */
  readonly working: readonly { readonly id: number; readonly label: string }[];
  readonly run?: DeployView;
  readonly showLogs: boolean;
  readonly container: Container;
  /** Ctrl+C mid-run asks first: leave (the run stops; Azure goes on) or keep watching. */
  readonly leaving: boolean;
  readonly help: boolean;
}

/**
 * What the wizard shows, outside React: the ink prompter writes it (the journey's questions, lines, the run) and
 * the Host component reads it with useSyncExternalStore. Key handlers only change it; nothing here does I/O.
 */
export class HostStore {
  private state: HostState = { lines: [], working: [], showLogs: true, container: "InferenceServer", leaving: false, help: false };
  private readonly listeners = new Set<() => void>();
  private nextId = 0;

  readonly get = (): HostState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  update(change: (s: HostState) => HostState): void {
    this.state = change(this.state);
    for (const l of this.listeners) l();
  }

  id(): number {
    return ++this.nextId;
  }

  say(text: string): void {
    const id = this.id();
    this.update((s) => ({ ...s, lines: [...s.lines, { id, text }] }));
  }
}
