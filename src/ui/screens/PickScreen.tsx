import { Box, Text } from "ink";
import { Frame } from "../components/Frame.js";
import { FilterLine, LoadState, windowOf } from "../components/LoadState.js";
import { cell } from "../format.js";
import { filtered, subscriptionText, workspaceText } from "../reducer.js";
import type { WizardState } from "../state.js";

const KEYS = "type to filter · ↑↓ move · Enter choose · Esc back · Ctrl+C quit";

export function SubscriptionScreen({ state }: { state: WizardState }) {
  const all = state.subscriptions.status === "ready" ? state.subscriptions.value : [];
  const list = filtered(all, state.filter, subscriptionText);
  const view = windowOf(list, state.cursor, 12);
  return (
    <Frame title="subscription" identity={state.identity} notice={state.notice} keys={KEYS}>
      <LoadState what="subscriptions" value={state.subscriptions} emptyHint="Your account sees no subscription: check `az account list`, or sign in with --tenant." />
      {all.length ? <FilterLine filter={state.filter} count={list.length} total={all.length} /> : null}
      <Box flexDirection="column">
        {view.items.map((s, i) => {
          const on = view.start + i === state.cursor;
          return (
            <Text key={s.subscriptionId} color={on ? "cyan" : undefined}>
              {on ? "❯ " : "  "}
              {cell(s.displayName, 36)} <Text dimColor>{s.subscriptionId}</Text>
            </Text>
          );
        })}
      </Box>
    </Frame>
  );
}

export function WorkspaceScreen({ state }: { state: WizardState }) {
  const all = state.workspaces.status === "ready" ? state.workspaces.value : [];
  const list = filtered(all, state.filter, workspaceText);
  const view = windowOf(list, state.cursor, 12);
  return (
    <Frame title={`workspace in ${state.subscription?.displayName ?? ""}`} identity={state.identity} notice={state.notice} keys={KEYS}>
      <LoadState what="workspaces" value={state.workspaces} emptyHint="This subscription has no Azure ML workspace you can read; press Esc to pick another." />
      {all.length ? <FilterLine filter={state.filter} count={list.length} total={all.length} /> : null}
      <Box flexDirection="column">
        {view.items.map((w, i) => {
          const on = view.start + i === state.cursor;
          return (
            <Text key={`${w.resourceGroup}/${w.workspace}`} color={on ? "cyan" : undefined}>
              {on ? "❯ " : "  "}
              {cell(w.workspace, 28)} <Text dimColor>{cell(w.resourceGroup, 20)} {w.location}</Text>
            </Text>
          );
        })}
      </Box>
    </Frame>
  );
}
