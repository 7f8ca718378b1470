import { createContext, useContext, useLayoutEffect } from "react";
import { actionFor, type KeyAction, type KeyContext, type KeyPress } from "../keys.js";

export type KeyHandler = (input: string, key: KeyPress) => void;

/** Where the open question leaves its key handler for the Host, which alone listens to stdin. */
export interface KeyRouter {
  current?: KeyHandler;
}

export const KeyRouterContext = createContext<KeyRouter>({});

/**
 * A question's keys, read through the key table: the handler gets the action (or undefined, with the raw input,
 * for typed text). The Host reads stdin once and gives the question only what is left after Ctrl+C, the help
 * and the leave question, so one key never acts twice.
 */
export function usePromptKeys(
  context: KeyContext,
  handler: (action: KeyAction | undefined, input: string, key: KeyPress) => void,
  o: { erase?: boolean } = {},
): void {
  const router = useContext(KeyRouterContext);
  useLayoutEffect(() => {
    const route: KeyHandler = (input, key) => {
      const action = actionFor(context, input, key) ?? (o.erase && actionFor("input", input, key) === "erase" ? "erase" : undefined);
      handler(action, input, key);
    };
    router.current = route;
    return () => {
      if (router.current === route) router.current = undefined;
    };
  });
}
