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
      /** Ticked when it opens. */
      readonly chosen?: readonly unknown[];
      /** The filter typed when it was last answered, and where to keep it when answered. */
      readonly filter?: string;
      readonly keepFilter?: (filter: string) => void;
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
  /** The service whose lane the run shows in full, when the person chose one (n). */
  readonly following?: string;
  /** Ctrl+C mid-run asks first: leave (the run stops; Azure goes on) or keep watching. */
  readonly leaving: boolean;
  readonly help: boolean;
}

/** How long a run's event may wait to be drawn (a frame at 25 per second). */
export const FRAME_MS = 40;

/**
 * What the wizard shows, outside React: the ink prompter writes it (the journey's questions, lines, the run) and
 * the Host component reads it with useSyncExternalStore. Key handlers only change it; nothing here does I/O.
 */
export class HostStore {
  private state: HostState = { lines: [], working: [], showLogs: true, container: "InferenceServer", leaving: false, help: false };
  private readonly listeners = new Set<() => void>();
  private nextId = 0;
  private frame: NodeJS.Timeout | undefined;

  readonly get = (): HostState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  /** Applies a change and draws it now (with any change waiting for the next frame). */
  update(change: (s: HostState) => HostState): void {
    this.state = change(this.state);
    this.notify();
  }

  /**
   * Applies a change now and draws it with the next frame, within FRAME_MS, together with the changes made
   * meanwhile: a run sends its events many to a frame (each container's log lines, progress), and every frame
   * lays out the whole screen.
   */
  updateSoon(change: (s: HostState) => HostState): void {
    this.state = change(this.state);
    this.frame ??= setTimeout(() => this.notify(), FRAME_MS);
  }

  private notify(): void {
    clearTimeout(this.frame);
    this.frame = undefined;
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
