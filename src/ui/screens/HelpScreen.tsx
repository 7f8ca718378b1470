import { Box, Text } from "ink";
import type { Screen } from "../state.js";

const HELP: Record<Screen, string[]> = {
  start: ["↑↓ choose a session to resume, or a new migration", "Enter open · q quit"],
  subscriptions: ["Type to filter, Backspace to unfilter", "↑↓ move · Enter choose · Esc back"],
  workspaces: ["Type to filter, Backspace to unfilter", "↑↓ move · Enter choose · Esc back"],
  services: ["Space selects a service (AKS and unhealthy ones cannot be chosen)", "Enter reviews the selected · Esc back"],
  review: ["←→ switch between the selected services", "e change the plan · x export az ml YAML · Enter continue · b back"],
  overrides: ["↑↓ field · Enter change it (auth cycles, keys toggle)", "VM size: Tab switches CPU/GPU · Esc back to review"],
  confirm: ["Space acknowledges the blocker under the cursor", "Enter starts once every blocker is acknowledged · b back"],
  deploy: ["l hides the logs · Tab switches container", "Ctrl+C asks whether to leave (the deployment keeps running in Azure)"],
  done: ["d retires the old ACI service after you type its name", "Enter/q exit"],
};

export function HelpScreen({ screen }: { screen: Screen }) {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Keys on this screen</Text>
      {HELP[screen].map((l) => (
        <Text key={l}>{l}</Text>
      ))}
      <Text dimColor>Ctrl+C quits anywhere (a running migration asks first). ? or Esc closes this.</Text>
    </Box>
  );
}
