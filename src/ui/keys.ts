/** The keys the wizard reads (ink's `Key`, narrowed to what is used). */
export interface KeyPress {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly tab?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
  readonly ctrl?: boolean;
}

export type KeyContext = "select" | "checkbox" | "input" | "run" | "leave" | "help";

export type KeyAction =
  | "up"
  | "down"
  | "page-up"
  | "page-down"
  | "choose"
  | "toggle"
  | "back"
  | "help"
  | "close-help"
  | "erase"
  | "logs"
  | "container"
  | "leave"
  | "keep-watching"
  | "interrupt"
  | "print-details"
  | "next-service";

interface Binding {
  readonly action: KeyAction;
  /** How the key is written in the footer and the help. */
  readonly keys: string;
  /** What it does, in two or three words (the footer). */
  readonly label: string;
  /** Shown only when the screen has what it acts on (a way back, text to scroll). */
  readonly when?: "back" | "scroll" | "cut" | "several";
  matches(input: string, key: KeyPress): boolean;
}

const b = (action: KeyAction, keys: string, label: string, matches: Binding["matches"], when?: Binding["when"]): Binding => ({
  action,
  keys,
  label,
  matches,
  when,
});
const up = b("up", "↑↓", "move", (_i, k) => Boolean(k.upArrow));
const down = b("down", "", "", (_i, k) => Boolean(k.downArrow));
const pageUp = b("page-up", "PgUp/PgDn", "scroll", (_i, k) => Boolean(k.pageUp), "scroll");
const pageDown = b("page-down", "", "", (_i, k) => Boolean(k.pageDown), "scroll");
const back = b("back", "Esc", "back", (_i, k) => Boolean(k.escape), "back");
const help = b("help", "?", "help", (i) => i === "?");
// Ctrl+O, not a letter: letters filter the list.
const printDetails = b("print-details", "Ctrl+O", "print all", (i, k) => Boolean(k.ctrl) && i === "o", "cut");

/**
 * Every key of the wizard, by what is on screen. The same table dispatches the keys, writes the footer and the
 * `?` help, so the three never disagree.
 */
export const KEY_TABLE: Readonly<Record<KeyContext, readonly Binding[]>> = {
  select: [up, down, b("choose", "Enter", "choose", (_i, k) => Boolean(k.return)), pageUp, pageDown, printDetails, back, help],
  checkbox: [
    up,
    down,
    b("toggle", "Space", "select", (i) => i === " "),
    b("choose", "Enter", "go on", (_i, k) => Boolean(k.return)),
    pageUp,
    pageDown,
    printDetails,
    back,
    help,
  ],
  input: [
    b("choose", "Enter", "done", (_i, k) => Boolean(k.return)),
    b("erase", "Backspace", "erase", (i, k) => Boolean(k.backspace || k.delete) || /^[\u007f\b]+$/.test(i)),
    b("back", "Esc", "keep as it was", (_i, k) => Boolean(k.escape), "back"),
  ],
  run: [
    b("logs", "l", "logs on/off", (i) => i === "l"),
    b("container", "Tab", "other container", (_i, k) => Boolean(k.tab)),
    b("next-service", "n", "next service", (i) => i === "n", "several"),
    b("interrupt", "Ctrl+C", "leave", (i, k) => Boolean(k.ctrl) && i === "c"),
  ],
  leave: [
    b("leave", "q", "leave now", (i, k) => i === "q" || Boolean(k.return)),
    b("keep-watching", "w", "keep watching", (i, k) => i === "w" || Boolean(k.escape)),
  ],
  help: [b("close-help", "?", "close help", (i, k) => i === "?" || Boolean(k.escape) || Boolean(k.return))],
};

/** How many characters an erase key erases: a chunk may hold several DEL/BS bytes (typed fast, or sent at once). */
export function erasures(input: string): number {
  return Math.max(1, [...input].filter((ch) => ch === "\u007f" || ch === "\b").length);
}

export function actionFor(context: KeyContext, input: string, key: KeyPress): KeyAction | undefined {
  return KEY_TABLE[context].find((x) => x.matches(input, key))?.action;
}

/** The footer of a context: each key that acts on what is on screen, with its label. */
export function footerOf(context: KeyContext, has: { back?: boolean; scroll?: boolean; cut?: boolean; several?: boolean } = {}): string {
  return KEY_TABLE[context]
    .filter((x) => x.label && (!x.when || has[x.when]))
    .map((x) => `${x.keys} ${x.label}`)
    .join(" · ");
}

/** The `?` help: every context's keys, as a list. */
export function helpLines(): string[] {
  const names: Record<KeyContext, string> = {
    select: "Choosing",
    checkbox: "Choosing several",
    input: "Typing",
    run: "While it runs",
    leave: "Leaving a run",
    help: "This help",
  };
  // The help's own key is its footer, said once under the list.
  return (Object.keys(KEY_TABLE) as KeyContext[])
    .filter((c) => c !== "help")
    .map(
      (c) =>
        `${names[c]}: ${KEY_TABLE[c]
          .filter((x) => x.label)
          .map((x) => `${x.keys} ${x.label}`)
          .join(" · ")}`,
    );
}
