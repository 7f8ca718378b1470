import Spinner from "ink-spinner";
import { Box, Static, Text, useInput, useStdout } from "ink";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { HostState, HostStore } from "./host-store.js";
import { focusedLane } from "./deploy-view.js";
import { actionFor, footerOf, helpLines, type KeyPress } from "./keys.js";
import { InputPrompt } from "./prompts/InputPrompt.js";
import { ListPrompt } from "./prompts/ListPrompt.js";
import { KeyRouterContext, type KeyRouter } from "./prompts/use-prompt-keys.js";
import { promptRows } from "./layout.js";
import { RunPanel } from "./RunPanel.js";
import { layoutForTerminal } from "./terminal-text.js";

/**
 * Finished lines are laid out by layoutForTerminal to the terminal's width; their box is wider than any terminal so
 * that ink never breaks the one kind of row that may be longer: a command, kept whole to be pasted.
 */
const LINE_WIDTH = 2000;

/** The service after the one shown in full, in the run's order (round to the first). */
function nextService(state: HostState): string | undefined {
  const run = state.run;
  if (!run) return undefined;
  const shown = focusedLane(run, state.following)?.service;
  return run.order[(run.order.indexOf(shown ?? "") + 1) % run.order.length];
}

/** The terminal's size, following resizes. */
function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: Math.max(40, stdout?.columns ?? 80), rows: Math.max(12, stdout?.rows ?? 24) });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout?.on("resize", onResize);
    return () => void stdout?.off("resize", onResize);
  }, [stdout]);
  return size;
}

/**
 * The one mounted ink tree of the wizard: finished lines in <Static>, then one live area holding the run (when
 * one runs), the work going on, the open question and its keys. Ctrl+C is handled here: mid-run it asks first.
 */
export function Host({ store, decorated, onInterrupt }: { store: HostStore; decorated: boolean; onInterrupt: () => void }) {
  const s = useSyncExternalStore(store.subscribe, store.get);
  const { columns, rows } = useTerminalSize();

  const router = useRef<KeyRouter>({}).current;
  // Keys typed while nothing is asked yet (the wizard opening, a list loading) wait for the question that comes.
  const typedAhead = useRef<{ input: string; key: KeyPress }[]>([]).current;
  const [drained, setDrained] = useState(0);
  // The only stdin listener: Ctrl+C, the leave question and the help first, then the open question or the run.
  useInput((input, typed) => {
    // An Enter typed before the terminal was raw arrives as a line feed.
    const key = input === "\n" ? { ...typed, return: true } : typed;
    const state = store.get();
    if (key.ctrl && input === "c") {
      if (state.run && !state.leaving) return store.update((x) => ({ ...x, leaving: true }));
      return onInterrupt();
    }
    if (state.leaving) {
      const action = actionFor("leave", input, key);
      if (action === "leave") onInterrupt();
      if (action === "keep-watching") store.update((x) => ({ ...x, leaving: false }));
      return;
    }
    if (state.help) {
      if (actionFor("help", input, key)) store.update((x) => ({ ...x, help: false }));
      return;
    }
    if (state.prompt && state.prompt.kind !== "input" && state.prompt.details && actionFor("select", input, key) === "print-details")
      return store.say(`${state.prompt.details.title}\n${state.prompt.details.text}`);
    if (key.ctrl) return;
    if (!state.prompt && !state.run) {
      // Enters typed while the terminal was still cooked arrive together, as one chunk of line feeds.
      const enters = /^[\r\n]+$/.test(input) ? [...input].map(() => ({ input: "\r", key: { ...key, return: true } })) : [{ input, key }];
      return void typedAhead.push(...enters);
    }
    // `?` is help everywhere but in typed text.
    if (input === "?" && state.prompt?.kind !== "input") return store.update((x) => ({ ...x, help: true }));
    if (state.prompt) return router.current?.(input, key);
    if (state.run) {
      const action = actionFor("run", input, key);
      if (action === "logs") store.update((x) => ({ ...x, showLogs: !x.showLogs }));
      if (action === "container") store.update((x) => ({ ...x, container: x.container === "InferenceServer" ? "StorageInitializer" : "InferenceServer" }));
      if (action === "next-service") store.update((x) => ({ ...x, following: nextService(x) }));
    }
  });

  // One waiting key a frame, so the question handles each as if typed (a move, then the Enter that answers).
  useEffect(() => {
    if (!s.prompt || !typedAhead.length || !router.current) return;
    const next = typedAhead.shift()!;
    router.current(next.input, next.key);
    const t = setTimeout(() => setDrained((n) => n + 1), 15);
    return () => clearTimeout(t);
  }, [s.prompt?.id, drained]);

  // The question takes what it needs (at most half the screen mid-run); the run gets the rest, less its margin.
  // Every live area stays a row short of the screen: at full height ink clears the terminal, scrollback too, to
  // redraw it, and a finished line written in the same frame is lost (the history test caught two).
  const live = rows - 1;
  const promptBudget = s.prompt ? (s.run ? Math.max(6, Math.floor(live / 2)) : live - s.working.length) : 0;
  const promptHeight = s.prompt ? promptRows(s.prompt, columns, promptBudget) : 0;
  const runRows = s.run ? Math.max(4, live - promptHeight - 1 /* its margin */ - s.working.length - (s.leaving ? 5 : s.prompt ? 0 : 1)) : 0;
  return (
    <KeyRouterContext.Provider value={router}>
      <Static items={[...s.lines]}>
        {(line) => (
          <Box key={line.id} width={LINE_WIDTH}>
            <Text>{layoutForTerminal(line.text, columns).join("\n")}</Text>
          </Box>
        )}
      </Static>
      <Box flexDirection="column" width={columns}>
        {/* The help, while open, takes the live area alone: drawn beside the run it pushed the screen's top out. */}
        {s.run && !s.help ? (
          <RunPanel view={s.run} columns={columns} rows={runRows} showLogs={s.showLogs} container={s.container} follow={s.following} decorated={decorated} />
        ) : null}
        {s.working.map((w) => (
          <Text key={w.id}>
            <Text color="cyan">
              <Spinner />
            </Text>{" "}
            {w.label}…
          </Text>
        ))}
        {s.help ? (
          <Box flexDirection="column" borderStyle="round" paddingX={1}>
            <Text bold>Keys</Text>
            {helpLines().map((l) => (
              <Text key={l}>{l}</Text>
            ))}
            <Text dimColor>{footerOf("help")}</Text>
          </Box>
        ) : null}
        {/* Hidden, not unmounted, under the help: the question keeps its cursor and filter. */}
        <Box display={s.help ? "none" : "flex"} flexDirection="column">
          {s.prompt?.kind === "input" ? (
            <InputPrompt key={s.prompt.id} prompt={s.prompt} columns={columns} />
          ) : s.prompt ? (
            <ListPrompt key={s.prompt.id} prompt={s.prompt} columns={columns} rows={promptBudget} />
          ) : null}
        </Box>
        {s.leaving ? (
          <Box flexDirection="column" borderStyle="round" paddingX={1}>
            <Text bold>Leave now?</Text>
            <Text>The deployment keeps running in Azure; the session can be resumed later.</Text>
            <Text dimColor>{footerOf("leave")}</Text>
          </Box>
        ) : s.run && !s.prompt && !s.help ? (
          <Text dimColor>{`${footerOf("run", { several: s.run.order.length > 1 })} · ? help`}</Text>
        ) : null}
      </Box>
    </KeyRouterContext.Provider>
  );
}
