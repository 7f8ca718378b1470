import { Box, Text } from "ink";
import { useState } from "react";
import { BACK, type Choice } from "../../journey/prompter.js";
import type { OpenPrompt } from "../host-store.js";
import { erasures, footerOf } from "../keys.js";
import { entryText, listRows, underTheList, windowOf, wrapLines } from "../layout.js";
import { DetailsPanel, useDetailsScroll } from "./DetailsPanel.js";
import { usePromptKeys } from "./use-prompt-keys.js";

type ListOpen = Extract<OpenPrompt, { kind: "select" | "checkbox" }>;

const printable = (input: string) => input.length > 0 && [...input].every((ch) => ch >= " " && ch !== "\u007f");

/**
 * A list question (one answer, or several with Space): type to filter, ↑↓ to move, Enter to answer, Esc back
 * when the journey offers a way back. The text it stands on scrolls above it (PgUp/PgDn), under its title.
 */
export function ListPrompt({ prompt, columns, rows }: { prompt: ListOpen; columns: number; rows: number }) {
  const multi = prompt.kind === "checkbox";
  const [filter, setFilter] = useState(prompt.kind === "checkbox" ? (prompt.filter ?? "") : "");
  const [cursor, setCursor] = useState(() => Math.max(0, prompt.kind === "select" ? prompt.choices.findIndex((c) => c.value === prompt.default) : 0));
  const [chosen, setChosen] = useState<readonly unknown[]>(prompt.kind === "checkbox" ? (prompt.chosen ?? []) : []);
  const [notice, setNotice] = useState<string | undefined>();
  const shown = filter ? prompt.choices.filter((c) => c.name.toLowerCase().includes(filter.toLowerCase())) : prompt.choices;
  const message = wrapLines(prompt.message, columns);
  const detailLines = prompt.details ? wrapLines(prompt.details.text, columns - 2).length : 0;
  // Room under the list for the longest of what any entry shows there, so the list does not jump as the cursor moves.
  const belowRows = Math.max(1, ...prompt.choices.map((c) => underTheList(c, columns, multi).length));
  const fit = listRows({ rows, message: message.length, choices: shown.length, details: detailLines, below: belowRows });
  const choiceRows = fit.choices;
  const scroll = useDetailsScroll(prompt.details, columns, Math.max(1, fit.details));
  const back = prompt.kind === "checkbox" || prompt.back;
  const current: Choice<unknown> | undefined = shown[Math.min(cursor, shown.length - 1)];
  // The entry under the cursor, when its row cuts it, is shown whole under the list (its description after it).
  const below = underTheList(current, columns, multi);

  usePromptKeys(
    multi ? "checkbox" : "select",
    (action, input) => {
      setNotice(undefined);
      if (action === "up") return setCursor((c) => Math.max(0, c - 1));
      if (action === "down") return setCursor((c) => Math.min(shown.length - 1, c + 1));
      if (action === "page-up" || action === "page-down") return scroll.onKey(action);
      if (action === "back") {
        if (filter) return (setFilter(""), setCursor(0));
        return back ? prompt.answer(BACK as never) : undefined;
      }
      if (action === "toggle" && current) {
        if (current.disabled) return setNotice(`${current.name.split("  ")[0]} cannot be chosen: ${current.disabled}`);
        return setChosen((all) => (all.includes(current.value) ? all.filter((v) => v !== current.value) : [...all, current.value]));
      }
      if (action === "choose") {
        if (prompt.kind === "checkbox") {
          if (!chosen.length && prompt.atLeastOne) return setNotice(prompt.atLeastOne);
          prompt.keepFilter?.(filter);
          return prompt.answer(prompt.choices.filter((c) => chosen.includes(c.value)).map((c) => c.value));
        }
        if (!current) return;
        if (current.disabled) return setNotice(`That cannot be chosen: ${current.disabled}`);
        return prompt.answer(current.value);
      }
      if (action === "erase") return (setFilter((f) => f.slice(0, Math.max(0, f.length - erasures(input)))), setCursor(0));
      // Space selects in a list of several; elsewhere it is part of the filter.
      if (action === undefined && printable(input) && (input !== " " || !multi)) return (setFilter((f) => f + input), setCursor(0));
    },
    { erase: true },
  );

  const view = windowOf(shown, cursor, choiceRows);
  return (
    <Box flexDirection="column">
      {prompt.details && fit.details > 0 ? <DetailsPanel details={prompt.details} scroll={scroll} /> : null}
      {message.map((l, i) => (
        <Text key={i} bold>
          {l}
        </Text>
      ))}
      {view.items.map((c, i) => {
        const on = view.start + i === cursor;
        const mark = multi ? (chosen.includes(c.value) ? "[x] " : "[ ] ") : "";
        return (
          <Text key={view.start + i} color={on ? "cyan" : undefined} dimColor={Boolean(c.disabled) && !on} wrap="truncate-end">
            {on ? "❯ " : "  "}
            {mark}
            {entryText(c)}
          </Text>
        );
      })}
      {shown.length > view.items.length ? <Text dimColor>{`${view.start + 1}-${view.start + view.items.length} of ${shown.length}`}</Text> : null}
      {filter ? <Text dimColor>{`Filter: ${filter}▏ (${shown.length} of ${prompt.choices.length})`}</Text> : null}
      {notice ? (
        <Text color="yellow">{notice}</Text>
      ) : (
        below.map((l, i) => (
          <Text key={`below-${i}`} dimColor>
            {l}
          </Text>
        ))
      )}
      <Text dimColor>
        {footerOf(multi ? "checkbox" : "select", { back, scroll: scroll.scrollable, cut: scroll.cut })}
        {shown.length > 5 ? " · type to filter" : ""}
      </Text>
    </Box>
  );
}
