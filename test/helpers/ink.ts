import { act, createElement } from "react";
import { render as renderInk, type render } from "ink-testing-library";
import { Host } from "../../src/ui/Host.js";
import { HostStore } from "../../src/ui/host-store.js";
import { inkPrompter, type InkPrompter } from "../../src/ui/ink-prompter.js";

// React's act() flushes renders and effects before the next key (DEVELOPERS.md: one key per act).
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// The wizard's effects resolve on network replies from the sandbox, between our act() calls; React's reminder
// about those is expected here (until() lets them land inside act), so only that one warning is silenced.
const consoleError = console.error;
console.error = (...args: unknown[]) => {
  if (typeof args[0] === "string" && args[0].includes("not wrapped in act(")) return;
  consoleError(...args);
};

export type InkInstance = ReturnType<typeof render>;

export const KEY = {
  enter: "\r",
  up: "\u001B[A",
  down: "\u001B[B",
  left: "\u001B[D",
  right: "\u001B[C",
  escape: "\u001B",
  tab: "\t",
  space: " ",
  backspace: "\u007F",
  ctrlC: "\u0003",
} as const;

/** Sends keys one per act(), each given 15 ms to settle (ink reads input in chunks). */
export async function press(ink: InkInstance, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    await act(async () => {
      ink.stdin.write(k);
      await new Promise((r) => setTimeout(r, 15));
    });
  }
}

/** Types text one character per act(). */
export async function type(ink: InkInstance, text: string): Promise<void> {
  await press(ink, ...text);
}

/**
 * Lets the wizard's effects (sandbox calls, the engine) run inside act() until the frame shows what the test
 * waits for; fails with the last frame when it never does.
 */
export async function until(ink: InkInstance, predicate: (frame: string) => boolean, what: string, timeoutMs = 10_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const frame = ink.lastFrame() ?? "";
    if (predicate(frame)) return frame;
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Last frame:\n${frame}`);
    await act(async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
  }
}

export const shows = (text: string) => (frame: string) => frame.includes(text);

/** The wizard's one ink tree over a store, with its ink prompter; the caller unmounts it (see `mounted`). */
export function mountHost(): { ask: InkPrompter; ink: InkInstance; store: HostStore } {
  const store = new HostStore();
  const ask = inkPrompter(store, { decorated: false, command: (args: string) => `aci-migrate ${args}` });
  const ink = renderInk(createElement(Host, { store, decorated: false, onInterrupt: () => ask.interrupt() }));
  return { ask, ink, store };
}
