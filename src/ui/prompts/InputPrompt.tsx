import { Box, Text } from "ink";
import { useEffect, useState } from "react";
import type { OpenPrompt } from "../host-store.js";
import { erasures, footerOf } from "../keys.js";
import { wrapLines } from "../layout.js";
import { usePromptKeys } from "./use-prompt-keys.js";

type InputOpen = Extract<OpenPrompt, { kind: "input" }>;

/** Typed text, not control keys: every character at or above the space, other than DEL. */
const printable = (input: string) => input.length > 0 && [...input].every((ch) => ch >= " " && ch !== "\u007f");

/**
 * A line of text, starting from the default, checked as it is typed (the check may ask Azure: its answer for an
 * older text is dropped). Enter answers once the check passes. Several erasures in one chunk erase as many.
 */
export function InputPrompt({ prompt, columns }: { prompt: InputOpen; columns: number }) {
  const [text, setText] = useState(prompt.default ?? "");
  const [check, setCheck] = useState<{ text: string; result: true | string } | undefined>();
  const validate = prompt.validate;
  useEffect(() => {
    if (!validate) return;
    let live = true;
    void Promise.resolve(validate(text)).then(
      (result) => live && setCheck({ text, result }),
      (e: Error) => live && setCheck({ text, result: e.message }),
    );
    return () => {
      live = false;
    };
  }, [text, validate]);

  usePromptKeys("input", (action, input) => {
    if (action === "erase") return setText((t) => t.slice(0, Math.max(0, t.length - erasures(input))));
    // Esc leaves a field that had a value as it was (a changed name may be taken: the only other way out was a free one).
    if (action === "back" && prompt.default !== undefined) return prompt.answer(prompt.default);
    if (action === "choose") {
      if (!validate) return prompt.answer(text);
      if (check?.text === text && check.result === true) return prompt.answer(text);
      return;
    }
    if (action === undefined && printable(input)) setText((t) => t + input);
  });

  const state = !validate ? undefined : check?.text !== text ? "checking…" : check.result === true ? "✓" : check.result;
  return (
    <Box flexDirection="column">
      {wrapLines(prompt.message, columns).map((l, i) => (
        <Text key={i} bold>
          {l}
        </Text>
      ))}
      <Text>
        <Text color="cyan">❯ </Text>
        {text}
        <Text inverse> </Text>
      </Text>
      {state ? <Text color={state === "✓" ? "green" : state === "checking…" ? undefined : "yellow"}>{state}</Text> : null}
      <Text dimColor>{footerOf("input", { back: prompt.default !== undefined })}</Text>
    </Box>
  );
}
