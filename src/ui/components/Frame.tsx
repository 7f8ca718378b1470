import { Box, Text } from "ink";
import type { ReactNode } from "react";
import type { Identity } from "../backend.js";

/** Every screen: a title, who the wizard works as (or the SANDBOX badge), the body, key hints and one notice. */
export function Frame(props: { title: string; identity?: Identity; keys: string; notice?: string; children: ReactNode }) {
  return (
    <Box flexDirection="column">
      <Box justifyContent="space-between">
        <Text bold>aci-migrate · {props.title}</Text>
        <IdentityLine identity={props.identity} />
      </Box>
      <Box flexDirection="column" marginTop={1}>
        {props.children}
      </Box>
      {props.notice ? (
        <Box marginTop={1}>
          <Text color="yellow">{props.notice}</Text>
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Text dimColor>{props.keys}</Text>
      </Box>
    </Box>
  );
}

function IdentityLine({ identity }: { identity?: Identity }) {
  if (!identity) return <Text dimColor>signing in…</Text>;
  if (identity.kind === "sandbox") return <Text inverse bold> SANDBOX </Text>;
  return (
    <Text dimColor>
      {identity.account ?? "signed in"}
      {identity.tenantId ? ` · tenant ${identity.tenantId.slice(0, 8)}…` : ""} · {identity.cloud}
    </Text>
  );
}
