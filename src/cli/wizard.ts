import type { JourneyBackend } from "../journey/backend.js";
import type { JourneyOptions } from "../journey/journey.js";
import type { CommandLine } from "../journey/text/command-line.js";
import { PromptCancelled } from "../journey/prompter.js";
import { EXIT } from "../journey/exit-codes.js";
import type { CommandIo } from "./io.js";
import type { Command } from "commander";
import type { Connect, ConnectedSession } from "./connect.js";

/**
 * Where the journey's backend comes from: opened (signed in or attached, the Azure clients loaded) only once the
 * face is up, so that the wizard draws its first frame without waiting for the Azure SDKs to load.
 */
export interface BackendSource {
  readonly kind: JourneyBackend["kind"];
  /** How a command printed for the person starts; known before anything is opened. */
  readonly command: CommandLine;
  open(): Promise<JourneyBackend>;
}

/**
 * The backend of a wizard or plain journey, connected (`connect`) when the face opens it; `close` lets go of
 * the connection. In the wizard the connection says nothing on stderr: ink owns the screen, and the header
 * names the sandbox or the account.
 */
export function connectingSource(
  connect: Connect,
  cmd: Command,
  front: "wizard" | "plain",
  o: { stateDir: string; cloud?: string; command: CommandLine; sandbox: boolean },
): BackendSource & { close(): Promise<void> } {
  let connected: ConnectedSession | undefined;
  return {
    kind: o.sandbox ? "sandbox" : "azure",
    command: o.command,
    async open() {
      const [session, { wizardBackend }] = await Promise.all([connect(cmd, { quiet: front === "wizard" }), import("./wizard-backend.js")]);
      connected = session;
      return wizardBackend(session, o);
    },
    close: async () => connected?.close(),
  };
}

/** Runs the journey in the face chosen for this terminal; resolves with the exit code. */
export async function runJourneyIn(
  front: "wizard" | "plain",
  source: BackendSource,
  io: CommandIo,
  o: JourneyOptions & { readonly logs?: boolean } = {},
): Promise<number> {
  if (front === "plain") {
    const [{ plainPrompter }, { runJourney }, backend] = await Promise.all([import("./plain/prompter.js"), import("../journey/journey.js"), source.open()]);
    const ask = plainPrompter(io, { command: source.command, logs: o.logs });
    try {
      return await runJourney(backend, ask, o);
    } finally {
      ask.dispose();
    }
  }
  return runWizard(source, o);
}

/**
 * The wizard: one ink tree (Host) showing what the journey's ink prompter puts in the store. SIGTERM is Ctrl+C.
 * When the journey ends the live area is cleared before ink lets go, so nothing is left half drawn. ink and the
 * face load first and draw; the backend (and with it the Azure SDKs) loads while that frame is on the screen.
 */
async function runWizard(source: BackendSource, o: JourneyOptions & { readonly logs?: boolean }): Promise<number> {
  // Keys typed while ink loads arrive as typed (no echo, Enter as Enter) and wait for the first question (Host).
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  const [{ render }, { default: chalk }, { createElement }, { Host }, { HostStore }, { inkPrompter }] = await Promise.all([
    import("ink"),
    import("chalk"),
    import("react"),
    import("../ui/Host.js"),
    import("../ui/host-store.js"),
    import("../ui/ink-prompter.js"),
  ]).catch((e: unknown) => {
    if (process.stdin.isTTY) process.stdin.setRawMode(false); // ink never mounted to give the terminal back
    throw e;
  });
  if (process.env.NO_COLOR) chalk.level = 0; // ink colours through chalk, which does not read NO_COLOR itself
  const decorated = !process.env.NO_COLOR && process.env.TERM !== "dumb";
  const store = new HostStore();
  if (o.logs === false) store.update((s) => ({ ...s, showLogs: false })); // --no-logs: l shows them
  const ask = inkPrompter(store, { decorated, command: source.command });
  // The working line is in the store before ink mounts, so the very first frame shows it (and its keys work);
  // opening the backend, which loads the Azure SDKs, begins only once that frame is written.
  let begin = () => {};
  const begun = new Promise<void>((r) => (begin = r));
  const label = source.kind === "sandbox" ? "Opening the sandbox" : "Signing in to Azure";
  // The journey (and the engine under it) loads with the backend, after the first frame.
  const opening = ask.working(
    label,
    begun.then(() => Promise.all([source.open(), import("../journey/journey.js")])),
  );
  const instance = render(createElement(Host, { store, decorated, onInterrupt: () => ask.interrupt() }), { exitOnCtrlC: false, patchConsole: false });
  const onSigterm = () => ask.interrupt();
  process.on("SIGTERM", onSigterm);
  setImmediate(begin);
  try {
    const opened = await opening.catch((e: unknown) => {
      if (e instanceof PromptCancelled) return undefined; // Ctrl+C before the first question: nothing has started
      throw e;
    });
    if (!opened) return EXIT.cancelled;
    const [backend, { runJourney }] = opened;
    return await runJourney(backend, ask, o);
  } finally {
    process.off("SIGTERM", onSigterm);
    store.update((s) => ({ ...s, prompt: undefined, run: undefined, working: [], leaving: false, help: false }));
    await new Promise((r) => setTimeout(r, 20)); // the last frame (and the last Static lines) reach the terminal
    instance.unmount();
    await instance.waitUntilExit();
  }
}
