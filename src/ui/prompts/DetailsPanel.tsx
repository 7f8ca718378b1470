import { Box, Text } from "ink";
import { useState } from "react";
import type { Details } from "../../journey/prompter.js";
import { fitToWidth } from "../terminal-text.js";

export interface DetailsScroll {
  readonly lines: readonly string[];
  readonly offset: number;
  readonly height: number;
  readonly scrollable: boolean;
  /** A row was cut to fit (a URL, a command): the whole text can be printed above. */
  readonly cut: boolean;
  onKey(action: "page-up" | "page-down"): void;
}

/** The text a question stands on, wrapped to the terminal and cut into a window that PgUp/PgDn move. */
export function useDetailsScroll(details: Details | undefined, columns: number, height: number): DetailsScroll {
  const [offset, setOffset] = useState(0);
  const { rows: lines, cut } = details ? fitToWidth(details.text, columns - 2) : { rows: [], cut: false };
  const max = Math.max(0, lines.length - height);
  const page = Math.max(1, height - 1);
  return {
    lines,
    offset: Math.min(offset, max),
    height,
    scrollable: lines.length > height,
    cut,
    onKey: (action) => setOffset((o) => Math.max(0, Math.min(max, Math.min(o, max) + (action === "page-down" ? page : -page)))),
  };
}

/** The title stays; the text under it scrolls. */
export function DetailsPanel({ details, scroll }: { details: Details; scroll: DetailsScroll }) {
  const visible = scroll.lines.slice(scroll.offset, scroll.offset + scroll.height);
  const where = scroll.scrollable ? ` (lines ${scroll.offset + 1}-${scroll.offset + visible.length} of ${scroll.lines.length}, PgUp/PgDn)` : "";
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold inverse>{` ${details.title} `}</Text>
      {where ? <Text dimColor>{where.trim()}</Text> : null}
      {visible.map((l, i) => (
        <Text key={i}>{l || " "}</Text>
      ))}
    </Box>
  );
}
