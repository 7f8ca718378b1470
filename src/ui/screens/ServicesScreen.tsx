import { Box, Text } from "ink";
import { Frame } from "../components/Frame.js";
import { FilterLine, LoadState, windowOf } from "../components/LoadState.js";
import { cell } from "../format.js";
import { filtered, serviceText } from "../reducer.js";
import type { WizardState } from "../state.js";

/** Multi-select of the workspace's services; AKS and unhealthy ones are listed with why they cannot be chosen. */
export function ServicesScreen({ state }: { state: WizardState }) {
  const all = state.services.status === "ready" ? state.services.value : [];
  const list = filtered(all, state.filter, serviceText);
  const view = windowOf(list, state.cursor, 14);
  const wide = state.columns >= 100;
  return (
    <Frame title={`services in ${state.workspace?.workspace ?? ""}`} identity={state.identity} notice={state.notice} keys={`Space select · Enter review ${state.selected.length} selected · type to filter · Esc back`}>
      <LoadState what="services" value={state.services} emptyHint="This workspace has no v1 web services; press Esc to pick another workspace." />
      {all.length ? <FilterLine filter={state.filter} count={list.length} total={all.length} /> : null}
      {all.length ? (
        <Text dimColor>
          {"     "}
          {cell("name", 24)} {cell("state", 10)} {cell("CPU/mem", 12)} {cell("auth", 7)} {cell("region", 10)}
          {wide ? ` ${cell("created", 10)}` : ""}
        </Text>
      ) : null}
      <Box flexDirection="column">
        {view.items.map((r, i) => {
          const on = view.start + i === state.cursor;
          const checked = state.selected.includes(r.name);
          const box = r.notSelectable ? " - " : checked ? "[x]" : "[ ]";
          const res = r.service ? `${r.service.cpu}/${r.service.memoryGb} GB` : "";
          return (
            <Box key={r.name} flexDirection="column">
              <Text color={on ? "cyan" : undefined} dimColor={Boolean(r.notSelectable) && !on}>
                {on ? "❯" : " "}
                {box} {cell(r.name, 24)} {cell(r.state, 10)} {cell(res, 12)} {cell(r.service ? (r.service.authEnabled ? "key" : "none") : "", 7)} {cell(r.service?.location ?? "", 10)}
                {wide ? ` ${cell(r.created?.slice(0, 10) ?? "", 10)}` : ""}
              </Text>
              {on && r.notSelectable ? <Text dimColor>{"      "}{r.notSelectable}</Text> : null}
            </Box>
          );
        })}
      </Box>
    </Frame>
  );
}
