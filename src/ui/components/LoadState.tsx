import { Spinner } from "@inkjs/ui";
import { Box, Text } from "ink";
import type { Loadable } from "../state.js";

/** The loading, error and empty states of a list, each with a hint; undefined when there is a list to show. */
export function LoadState<T>(props: { what: string; value: Loadable<readonly T[]>; emptyHint: string; filter?: string }) {
  const v = props.value;
  if (v.status === "idle" || v.status === "loading") return <Spinner label={`Loading ${props.what}…`} />;
  if (v.status === "error") {
    return (
      <Box flexDirection="column">
        <Text color="red">Could not list {props.what}: {v.message}</Text>
        <Text>{v.hint}</Text>
      </Box>
    );
  }
  if (!v.value.length) {
    return (
      <Box flexDirection="column">
        <Text>No {props.what}.</Text>
        <Text dimColor>{props.emptyHint}</Text>
      </Box>
    );
  }
  return null;
}

/** The visible slice of a long list around the cursor. */
export function windowOf<T>(items: readonly T[], cursor: number, size: number): { start: number; items: readonly T[] } {
  const start = Math.max(0, Math.min(cursor - Math.floor(size / 2), items.length - size));
  return { start, items: items.slice(start, start + size) };
}

export function FilterLine({ filter, count, total }: { filter: string; count: number; total: number }) {
  return <Text dimColor>{filter ? `Filter: ${filter}▏ (${count} of ${total})` : `Type to filter · ${total} in all`}</Text>;
}
