import { Box, Text } from "ink";
import { stoppedAt } from "../../session/session-file.js";
import { Frame } from "../components/Frame.js";
import { timeAgo } from "../format.js";
import { resumableSessions } from "../reducer.js";
import type { WizardState } from "../state.js";

/** Unfinished sessions first ("Resume … stopped at …"), then a new migration. */
export function StartScreen({ state }: { state: WizardState }) {
  const sessions = resumableSessions(state);
  const unreadable = state.sessions.filter((s) => !s.session);
  return (
    <Frame title="start" identity={state.identity} notice={state.notice} keys="↑↓ choose · Enter open · ? help · q quit">
      <Text>Move Azure ML v1 ACI web services to managed online endpoints, one visible step at a time.</Text>
      <Box flexDirection="column" marginTop={1}>
        {sessions.map((s, i) => {
          const session = s.session!;
          const names = session.services.map((x) => x.name).join(", ");
          return (
            <Text key={s.id} color={i === state.cursor ? "cyan" : undefined}>
              {i === state.cursor ? "❯ " : "  "}Resume {names} — stopped at {stoppedAt(session) ?? "the end"}, {timeAgo(session.updatedAt)}
            </Text>
          );
        })}
        <Text color={state.cursor === sessions.length ? "cyan" : undefined}>{state.cursor === sessions.length ? "❯ " : "  "}Start a new migration</Text>
      </Box>
      {unreadable.length ? <Text dimColor>{unreadable.length} session file(s) could not be read and were left as they are (see `aci-migrate sessions`).</Text> : null}
    </Frame>
  );
}
