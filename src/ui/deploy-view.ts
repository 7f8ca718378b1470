import { likelyCause } from "../migration/diagnose.js";
import type { InputAnswer, MigrationEvent } from "../migration/events.js";
import { STEP_NAMES, type SessionFile, type StepError, type StepName } from "../session/session-file.js";

export type StepStatus = "pending" | "running" | "waiting" | "done" | "skipped" | "failed";

export interface StepView {
  readonly status: StepStatus;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly detail?: string;
  /** The Azure operation's state while the step runs (Creating, Updating…); dropped once it ends. */
  readonly lro?: string;
  readonly percent?: number;
}

export type Container = "StorageInitializer" | "InferenceServer";

export interface Failure {
  readonly step: StepName;
  readonly message: string;
  readonly error?: StepError;
  readonly differences?: readonly { readonly field: string; readonly planned: string; readonly actual: string }[];
  readonly cause?: { readonly cause: string; readonly remedy: string };
}

export interface LaneView {
  readonly service: string;
  readonly steps: Readonly<Record<StepName, StepView>>;
  /** The latest lines of each container (a bounded window: the view never grows with the logs). */
  readonly logs: Readonly<Record<Container, readonly string[]>>;
  readonly failure?: Failure;
  readonly finished?: Extract<MigrationEvent, { type: "service-finished" }>;
}

export interface DeployView {
  readonly sessionId: string;
  readonly order: readonly string[];
  readonly lanes: Readonly<Record<string, LaneView>>;
  readonly status?: "done" | "failed" | "cancelled";
}

/** How many lines of each container a lane keeps. */
export const LOG_WINDOW = 200;

const pendingSteps = () => Object.fromEntries(STEP_NAMES.map((s) => [s, { status: "pending" }])) as Record<StepName, StepView>;

/** A view of a session about to run: steps a resumed session already finished show as such. */
export function newDeployView(sessionId: string, services: readonly string[], session?: SessionFile): DeployView {
  const lanes = Object.fromEntries(
    services.map((name) => {
      const record = session?.services.find((s) => s.name === name);
      const steps = record
        ? (Object.fromEntries(
            STEP_NAMES.map((n) => [n, { status: record.steps[n].status === "running" ? "pending" : record.steps[n].status, detail: record.steps[n].detail }]),
          ) as Record<StepName, StepView>)
        : pendingSteps();
      return [name, { service: name, steps, logs: { StorageInitializer: [], InferenceServer: [] } } satisfies LaneView];
    }),
  );
  return { sessionId, order: services, lanes };
}

/**
 * The deploy view after one engine event, and the lines the event finished (printed once, above the live area).
 * Pure: the wizard feeds it the engine's stream; the tests feed it events of their own.
 */
export function onRunEvent(view: DeployView, e: MigrationEvent, now: number): { view: DeployView; finished: string[] } {
  if (!("service" in e)) {
    if (e.type === "session-finished") return { view: { ...view, status: e.status }, finished: [] };
    return { view, finished: [] };
  }
  const lane = view.lanes[e.service] ?? { service: e.service, steps: pendingSteps(), logs: { StorageInitializer: [], InferenceServer: [] } };
  const put = (l: LaneView, finished: string[] = []) => ({
    view: { ...view, order: view.order.includes(l.service) ? view.order : [...view.order, l.service], lanes: { ...view.lanes, [l.service]: l } },
    finished,
  });
  const step = (s: StepName, patch: Partial<StepView>): LaneView => ({ ...lane, steps: { ...lane.steps, [s]: { ...lane.steps[s], ...patch } } });
  switch (e.type) {
    case "step-started":
      return put({
        ...step(e.step, { status: "running", startedAt: now, finishedAt: undefined, lro: undefined, percent: undefined, detail: undefined }),
        failure: undefined,
      });
    case "step-progress":
      return put(step(e.step, e.lro ? { lro: e.lro.status, percent: e.lro.percentComplete } : { detail: e.message }));
    case "log-lines":
      return put({ ...lane, logs: { ...lane.logs, [e.container]: [...lane.logs[e.container], ...e.lines].slice(-LOG_WINDOW) } });
    case "step-finished":
      return put(
        step(e.step, { status: e.outcome === "skipped" ? "skipped" : "done", finishedAt: now, detail: e.detail, lro: undefined, percent: undefined }),
        [`✓ ${e.service} · ${e.step}: ${e.detail}`],
      );
    case "step-failed": {
      const failed = step(e.step, { status: "failed", finishedAt: now, detail: firstLine(e.error.message), lro: undefined, percent: undefined });
      return put({ ...failed, failure: failureOf(lane, e.step, firstLine(e.error.message), e.error) }, [
        `✗ ${e.service} · ${e.step}: ${firstLine(e.error.message)}`,
      ]);
    }
    case "needs-input": {
      // The step waits for the person: no spinner, the failure (or difference) shown until they answer. The
      // scrollback keeps it (with its likely cause), so a retry that succeeds does not erase what happened.
      const failure = { ...failureOf(lane, e.step, e.message, e.error), differences: e.differences };
      const mark = e.situation === "failed-now" || e.situation === "failed-earlier" ? "✗" : "≠";
      return put({ ...step(e.step, { status: "waiting", lro: undefined }), failure }, [
        `${mark} ${e.service} · ${e.step}: ${firstLine(e.message)}`,
        ...(failure.cause ? [`  Likely cause: ${failure.cause.cause}`] : []),
      ]);
    }
    case "input-received":
      return put({ ...step(e.step, { status: "running" }), failure: undefined }, [`↻ ${e.service} · ${e.step}: ${answerText(e.answer)}`]);
    case "service-finished":
      // Said in full by the result that follows the run.
      return put({ ...lane, finished: e });
  }
}

function failureOf(lane: LaneView, step: StepName, message: string, error: StepError | undefined): Failure {
  const cause = likelyCause(error, [...lane.logs.StorageInitializer, ...lane.logs.InferenceServer], step);
  return { step, message, ...(error ? { error } : {}), ...(cause ? { cause } : {}) };
}

const firstLine = (text: string) => text.split("\n")[0] ?? "";

/** What the person answered, as the record of the change made. */
function answerText(a: InputAnswer): string {
  if (a.choice === "retry") return "tried again as planned";
  if (a.choice === "stop") return "left as it is, to resume later";
  if (a.choice === "accept") return "the differences accepted; the traffic moves";
  const o = a.overrides;
  const changes = [
    o.sku && `VM size ${o.sku}`,
    o.instanceCount !== undefined && `${o.instanceCount} instance${o.instanceCount === 1 ? "" : "s"}`,
    o.requestTimeoutMs !== undefined && `request timeout ${o.requestTimeoutMs / 1000} s`,
    o.environment && `environment ${o.environment}`,
  ].filter(Boolean);
  return changes.length ? `tried again with ${changes.join(", ")}` : "tried again as planned";
}

/** The lane to show in full: the one asked about or failed, else one deploying, else the first unfinished. */
export function focusedLane(view: DeployView, follow?: string): LaneView | undefined {
  const lanes = view.order.map((n) => view.lanes[n]!);
  return (
    lanes.find((l) => l.failure && !l.finished) ??
    // The one the person follows (n), unless a failure waits for them.
    (follow !== undefined ? view.lanes[follow] : undefined) ??
    lanes.find((l) => !l.finished && l.steps.deployment.status === "running") ??
    lanes.find((l) => !l.finished) ??
    lanes[0]
  );
}

/** How many services have finished, and how many migrated. */
export function progressOf(view: DeployView): { finished: number; migrated: number; total: number } {
  const lanes = view.order.map((n) => view.lanes[n]!);
  return { finished: lanes.filter((l) => l.finished).length, migrated: lanes.filter((l) => l.finished?.status === "migrated").length, total: lanes.length };
}
