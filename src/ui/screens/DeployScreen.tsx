import { ProgressBar, Spinner } from "@inkjs/ui";
import { Box, Static, Text } from "ink";
import type { FinishedLine } from "../state.js";
import { useEffect, useState } from "react";
import { STEP_NAMES } from "../../session/session-file.js";
import { Frame } from "../components/Frame.js";
import { windowOf } from "../components/LoadState.js";
import { likelyCause } from "../../migration/diagnose.js";
import { cell, elapsed } from "../format.js";
import { skusByPrice } from "../../domain/sku-catalog.js";
import type { Lane, RunState, WizardState } from "../state.js";

/** Re-renders every second while something runs, so elapsed times move. */
function useTick(active: boolean): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [active]);
}

/** Steps per service (spinner / ✓ / ✗, elapsed, operation state), finished lines above, a live log pane. */
export function DeployScreen({ state }: { state: WizardState }) {
  const run = state.run!;
  useTick(run.phase !== "finished");
  const focus = focusedLane(run);
  const keys = run.leavePrompt
    ? "q leave now · w keep watching"
    : run.question
      ? "r retry · s change VM size and retry · f full logs · q stop (resumable)"
      : run.phase === "finished"
        ? "Enter/q exit"
        : "l logs on/off · Tab switch container · Ctrl+C leave";
  return (
    <>
      <Frame title={run.sessionId ? `deploying · session ${run.sessionId}` : "deploying"} identity={state.identity} notice={state.notice} keys={keys}>
        {run.signIn ? <Text color="yellow">{run.signIn}</Text> : null}
        {run.phase === "starting" ? <Spinner label="Opening the session…" /> : null}
        <Box flexDirection={state.columns >= 160 && run.order.length > 1 ? "row" : "column"}>
          {run.order.map((name) => (
            <LaneView key={name} lane={run.lanes[name]!} />
          ))}
        </Box>
        {run.fatal ? (
          <Box flexDirection="column" marginTop={1}>
            <Text color="red">✗ {run.fatal.message}</Text>
            {run.fatal.nextStep ? <Text>Next: {run.fatal.nextStep}</Text> : null}
          </Box>
        ) : null}
        {run.question && focus ? <FailurePanel run={run} lane={run.lanes[run.question.service] ?? focus} short={state.rows < 40} /> : null}
        {!run.question && run.showLogs && focus ? <LogPane lane={focus} container={run.container} lines={8} /> : null}
        {run.leavePrompt ? (
          <Box marginTop={1} flexDirection="column" borderStyle="round" paddingX={1}>
            <Text bold>Leave now?</Text>
            <Text>The deployment keeps running in Azure; continue later with `aci-migrate resume{run.sessionId ? ` ${run.sessionId}` : ""}`.</Text>
            <Text>q leave now · w keep watching</Text>
          </Box>
        ) : null}
        {run.phase === "finished" && run.result !== "done" && !run.fatal ? (
          <Text color="yellow">Stopped; nothing is lost. Continue with: aci-migrate resume {run.sessionId}</Text>
        ) : null}
      </Frame>
    </>
  );
}

/** The lane whose logs are shown: the one being asked about, else one deploying, else the first. */
function focusedLane(run: RunState): Lane | undefined {
  const lanes = run.order.map((n) => run.lanes[n]!).filter(Boolean);
  return (run.question && run.lanes[run.question.service]) || lanes.find((l) => l.steps.deployment.status === "running") || lanes[0];
}

function LaneView({ lane }: { lane: Lane }) {
  const running = STEP_NAMES.find((s) => lane.steps[s].status === "running");
  const step = running ? lane.steps[running] : undefined;
  return (
    <Box flexDirection="column" marginBottom={1} flexGrow={1}>
      <Text bold>
        {lane.service}
        {lane.finished ? <Text color={lane.finished.status === "migrated" ? "green" : "red"}> · {lane.finished.status}</Text> : null}
      </Text>
      {STEP_NAMES.map((name) => {
        const s = lane.steps[name];
        const icon = s.status === "running" ? <Spinner /> : <Text color={s.status === "failed" ? "red" : s.status === "pending" ? undefined : "green"}>{s.status === "done" ? "✓" : s.status === "skipped" ? "↷" : s.status === "failed" ? "✗" : "·"}</Text>;
        return (
          <Box key={name}>
            <Box width={3}>{icon}</Box>
            <Text dimColor={s.status === "pending"}>
              {cell(name, 11)} {cell(elapsed(s.startedAt, s.finishedAt), 7)}
              {s.lro ? `${s.lro} ` : ""}
              {s.status === "running" || s.status === "failed" ? (s.detail ?? "").slice(0, 50) : ""}
            </Text>
          </Box>
        );
      })}
      {step?.percent !== undefined ? (
        <Box width={40}>
          <ProgressBar value={step.percent} />
        </Box>
      ) : null}
    </Box>
  );
}

function LogPane({ lane, container, lines }: { lane: Lane; container: "StorageInitializer" | "InferenceServer"; lines: number }) {
  const all = lane.logs[container];
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1}>
      <Text dimColor>
        {lane.service} logs · <Text bold={container === "StorageInitializer"}>storage initializer</Text> / <Text bold={container === "InferenceServer"}>inference server</Text> (Tab)
      </Text>
      {all.length ? all.slice(-lines).map((l, i) => <Text key={i} wrap="truncate-end">{l}</Text>) : <Text dimColor>no lines yet</Text>}
    </Box>
  );
}

/** Azure's code and request id, the last log lines, the likely cause and remedy, and the choices. */
function FailurePanel({ run, lane, short }: { run: RunState; lane: Lane; short: boolean }) {
  const q = run.question!;
  const logs = [...lane.logs.StorageInitializer, ...lane.logs.InferenceServer];
  const cause = likelyCause(q.error, logs);
  if (run.failureView === "pick-sku") {
    const list = skusByPrice("cpu");
    const view = windowOf(list, run.skuCursor, 8);
    return (
      <Box flexDirection="column" borderStyle="round" paddingX={1}>
        <Text bold>Retry {lane.service} on another VM size</Text>
        <Text dimColor>Azure cannot resize a deployment: a new one is made beside it; traffic moves after its smoke test.</Text>
        {view.items.map((s, i) => {
          const on = view.start + i === run.skuCursor;
          return (
            <Text key={s.name} color={on ? "cyan" : undefined}>
              {on ? "❯ " : "  "}
              {cell(s.name, 24)} {cell(`${s.vcpus} vCPU`, 8)} {cell(`${s.memoryGib} GiB`, 8)} {s.usdPerHour === null ? "" : `$${s.usdPerHour.toFixed(3)}/h`}
            </Text>
          );
        })}
        <Text dimColor>Enter retry with it · Esc back</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1}>
      <Text bold color="red">
        {q.situation === "differs" ? "Differs from the plan" : "Failed"}: {q.message}
      </Text>
      {q.error?.code || q.error?.requestId ? (
        <Text dimColor>
          {q.error.code ? `Azure code ${q.error.code}` : ""}
          {q.error.requestId ? ` · request id ${q.error.requestId}` : ""}
        </Text>
      ) : null}
      {q.differences?.map((d) => (
        <Text key={d.field}>
          {d.field}: runs {d.actual}, planned {d.planned}
        </Text>
      ))}
      {cause ? (
        <Box flexDirection="column" marginTop={1}>
          <Text>Likely cause: {cause.cause}</Text>
          <Text color="yellow">Remedy: {cause.remedy}</Text>
        </Box>
      ) : null}
      <Box marginTop={1}>
        <LogPane lane={lane} container={run.container} lines={run.failureView === "full-logs" ? (short ? 14 : 40) : short ? 3 : 6} />
      </Box>
      <Text>
        {q.choices.includes("retry") ? "r retry · " : ""}
        {q.choices.includes("adapt") ? "s change VM size and retry · " : ""}f {run.failureView === "full-logs" ? "fewer" : "full"} logs · q stop (resume later)
      </Text>
    </Box>
  );
}

/** Finished step lines, printed once above the live area; mounted by the App so the last ones survive the move to Done. */
export function FinishedLines({ lines }: { lines: readonly FinishedLine[] }) {
  return (
    <Static items={[...lines]}>
      {(line) => (
        <Text key={line.id} color={line.tone === "ok" ? "green" : line.tone === "fail" ? "red" : undefined}>
          {line.tone === "ok" ? "✓" : line.tone === "fail" ? "✗" : "·"} {line.text}
        </Text>
      )}
    </Static>
  );
}
