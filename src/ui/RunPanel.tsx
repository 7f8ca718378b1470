import { Box, Text } from "ink";
import { useEffect, useState } from "react";
import { paint } from "../journey/text/text.js";
import type { Container, DeployView } from "./deploy-view.js";
import { runLines } from "./run-lines.js";

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** The live area of a run: redrawn every 100 ms while it runs, so the spinner turns and elapsed times move. */
export function RunPanel(props: {
  view: DeployView;
  columns: number;
  rows: number;
  showLogs: boolean;
  container: Container;
  follow?: string;
  decorated: boolean;
}) {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 100);
    return () => clearInterval(t);
  }, []);
  const lines = runLines(props.view, paint(props.decorated), {
    columns: props.columns,
    rows: props.rows,
    showLogs: props.showLogs,
    container: props.container,
    follow: props.follow,
    spin: SPINNER[tick % SPINNER.length]!,
    now: Date.now(),
  });
  return (
    <Box flexDirection="column" marginBottom={1}>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate-end">
          {l}
        </Text>
      ))}
    </Box>
  );
}
