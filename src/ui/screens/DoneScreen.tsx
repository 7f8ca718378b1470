import { Spinner } from "@inkjs/ui";
import { Box, Text } from "ink";
import { Frame } from "../components/Frame.js";
import { usd } from "../format.js";
import type { WizardState } from "../state.js";

/** Per service: the new scoring and swagger URIs, auth, a curl line, the smoke test, cost, next steps; `d` retires. */
export function DoneScreen({ state }: { state: WizardState }) {
  const run = state.run!;
  const migrated = run.order.filter((n) => run.lanes[n]?.finished?.status === "migrated");
  const retire = state.retire;
  const keys = retire?.phase === "typing" ? "type the service name · Enter retire · Esc cancel" : `${migrated.length ? "d retire the old ACI service · " : ""}Enter/q exit`;
  return (
    <Frame title="done" identity={state.identity} notice={state.notice} keys={keys}>
      {run.order.map((name, i) => {
        const lane = run.lanes[name]!;
        const f = lane.finished;
        const plan = run.plans[name];
        if (!f || f.status !== "migrated") {
          return (
            <Text key={name} color="red">
              ✗ {name}: {f?.status ?? "unfinished"} {lane.lastError ? `— ${lane.lastError.message.split("\n")[0]}` : ""}
            </Text>
          );
        }
        const uri = f.scoringUri ?? "";
        const on = migrated.indexOf(name) === Math.min(state.cursor, migrated.length - 1) && migrated.length > 1;
        return (
          <Box key={name} flexDirection="column" marginBottom={1}>
            <Text bold color="green">
              {on ? "❯ " : ""}✓ {name} → {f.endpointName}/{f.deploymentName}
            </Text>
            <Text>Scoring URI  {uri}</Text>
            <Text>Swagger URI  {uri.replace(/\/score$/, "/swagger.json")}</Text>
            <Text>
              Auth         {plan?.authMode ?? "Key"}
              {plan?.keysCarried ? " · same keys as before (primary ••••••••, secondary ••••••••)" : plan?.authMode === "Key" ? " · new keys: az ml online-endpoint get-credentials -n " + f.endpointName : ""}
            </Text>
            <Text dimColor>
              curl -X POST {uri} -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" -d @sample.json
            </Text>
            <Text>
              Smoke test   <Text color={f.smokeTest?.status === "passed" ? "green" : "yellow"}>{f.smokeTest?.status ?? "not run"}</Text>
              {f.smokeTest ? ` — ${f.smokeTest.detail}` : ""}
            </Text>
            {plan?.cost ? <Text>Cost/month   {usd(plan.cost.managedMonthlyUsd)} (was {usd(plan.cost.aciMonthlyUsd)} on ACI; {plan.cost.label})</Text> : null}
            {i === 0 ? <Text dimColor>Next: point callers at the new URI; watch the endpoint's metrics; when the old service is quiet, retire it (d).</Text> : null}
          </Box>
        );
      })}
      {retire ? (
        <Box flexDirection="column" borderStyle="round" paddingX={1}>
          {retire.phase === "typing" ? (
            <>
              <Text>Delete the ACI service {retire.service}? Its callers stop working unless they moved. Type its name to confirm:</Text>
              <Text inverse>{retire.typed}▏</Text>
            </>
          ) : retire.phase === "deleting" ? (
            <Spinner label={`Deleting ${retire.service}…`} />
          ) : retire.phase === "deleted" ? (
            <Text color="green">✓ {retire.service} retired.</Text>
          ) : (
            <Text color="red">Could not retire {retire.service}: {retire.message}</Text>
          )}
        </Box>
      ) : null}
    </Frame>
  );
}
