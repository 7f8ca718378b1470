import { Box, Text } from "ink";
import { Frame } from "../components/Frame.js";
import { pendingBlockers } from "../reducer.js";
import type { WizardState } from "../state.js";

/** What will be created where; each blocker acknowledged one by one before anything starts. */
export function ConfirmScreen({ state }: { state: WizardState }) {
  const blockers = pendingBlockers(state);
  const ws = state.workspace;
  return (
    <Frame title="confirm" identity={state.identity} notice={state.notice} keys={`${blockers.length ? "↑↓ move · Space acknowledge · " : ""}Enter start · b back`}>
      <Text>
        In workspace <Text bold>{ws?.workspace}</Text> ({ws?.resourceGroup}, {ws?.location}) this creates:
      </Text>
      {state.selected.map((name) => {
        const p = state.drafts[name]!.plan;
        return (
          <Text key={name}>
            {"  "}• endpoint <Text bold>{p.endpointName}</Text> ({p.authMode}
            {p.keysCarried ? ", v1 keys" : ""}) with deployment {p.deploymentName}: {p.instanceCount} × {p.sku.name ?? "?"}, from {name}; then 100% of its traffic
          </Text>
        );
      })}
      <Text dimColor>The ACI services stay as they are; nothing is deleted.</Text>
      {blockers.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold color="red">
            Blockers to acknowledge ({blockers.filter((b) => !b.acknowledged).length} left)
          </Text>
          {blockers.map((b, i) => {
            const on = i === state.confirmCursor;
            const done = b.acknowledged;
            return (
              <Text key={b.id} color={on ? "cyan" : undefined}>
                {on ? "❯ " : "  "}
                {done ? "[x]" : "[ ]"} {b.service}: {b.message}
                {b.acknowledgeable ? "" : " (cannot be acknowledged)"}
              </Text>
            );
          })}
        </Box>
      ) : null}
    </Frame>
  );
}
