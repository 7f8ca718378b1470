import type { ChalkInstance } from "chalk";
import { STEP_NAMES } from "../session/session-file.js";
import { elapsed } from "../journey/text/format.js";
import { focusedLane, progressOf, type Container, type DeployView, type LaneView, type StepView } from "./deploy-view.js";
import { wrapLines } from "./layout.js";

export interface RunLayout {
  readonly columns: number;
  /** At most this many lines. */
  readonly rows: number;
  readonly showLogs: boolean;
  readonly container: Container;
  /** The spinner's frame of this moment. */
  readonly spin: string;
  readonly now: number;
}

/**
 * The live area of a run as lines that fit: a header, then per service one line when it is finished or waits its
 * turn, and in full (its steps, its failure, its logs) for the one that fails or deploys. With many services the
 * finished collapse and the failing one stays in view; what does not fit is counted (a line too long for the terminal is cut by ink, with …).
 */
export function runLines(view: DeployView, c: ChalkInstance, o: RunLayout): string[] {
  const p = progressOf(view);
  const header = c.bold(`deploying · session ${view.sessionId}`) + c.dim(` · ${p.finished} of ${p.total} finished`);
  const focus = focusedLane(view);
  const others = view.order.filter((n) => n !== focus?.service).map((n) => laneLine(view.lanes[n]!, c, o));
  const budget = Math.max(1, o.rows - 1);
  // The service in full first (its failure before anything else), keeping a line or two for the others.
  const full = focus ? laneInFull(focus, c, o, Math.max(2, budget - Math.min(others.length, 2))) : [];
  const room = Math.max(0, budget - full.length);
  const shown =
    others.length > room
      ? [...others.slice(0, Math.max(0, room - 1)), c.dim(`… ${others.length - Math.max(0, room - 1)} more services`)].slice(0, room)
      : others;
  // The focused service goes where it stands in the order, so the list does not jump.
  const at = focus ? Math.min(shown.length, view.order.indexOf(focus.service)) : 0;
  return [header, ...shown.slice(0, at), ...full, ...shown.slice(at)].slice(0, Math.max(1, o.rows));
}

const ICON: Record<StepView["status"], string> = { pending: "·", running: "", waiting: "?", done: "✓", skipped: "↷", failed: "✗" };

function icon(s: StepView, c: ChalkInstance, spin: string): string {
  if (s.status === "running") return c.cyan(spin);
  if (s.status === "done" || s.status === "skipped") return c.green(ICON[s.status]);
  if (s.status === "failed") return c.red(ICON.failed);
  if (s.status === "waiting") return c.yellow(ICON.waiting);
  return c.dim(ICON.pending);
}

/** One line for a service: its result, or the step it is at. */
function laneLine(l: LaneView, c: ChalkInstance, o: RunLayout): string {
  if (l.finished)
    return l.finished.status === "migrated"
      ? c.green(`✓ ${l.service} → ${l.finished.endpointName}/${l.finished.deploymentName}`)
      : c.red(`✗ ${l.service}: ${l.finished.status}`);
  const at = STEP_NAMES.find((n) => ["running", "waiting", "failed"].includes(l.steps[n].status)) ?? STEP_NAMES.find((n) => l.steps[n].status === "pending");
  if (!at) return `${c.dim("·")} ${l.service}`;
  const s = l.steps[at];
  return `${icon(s, c, o.spin)} ${l.service} · ${at} ${elapsed(s.startedAt, s.finishedAt, o.now)} ${s.lro ?? ""}`.trimEnd();
}

/**
 * A service in full, in `rows` lines at most: its steps (a finished one with its detail, a running one with Azure's
 * operation state), its failure with the likely cause and remedy, its logs. Short of room the steps shrink to the
 * one that failed, then the failure's message to its first line; the cause and the remedy stay.
 */
function laneInFull(l: LaneView, c: ChalkInstance, o: RunLayout, rows: number): string[] {
  const stepLine = (n: (typeof STEP_NAMES)[number]) => {
    const s = l.steps[n];
    const what =
      s.status === "running"
        ? [s.lro, s.percent !== undefined ? `${s.percent}%` : undefined, s.detail].filter(Boolean).join(" · ")
        : s.status === "pending"
          ? ""
          : (s.detail ?? "");
    return `  ${icon(s, c, o.spin)} ${n.padEnd(11)} ${elapsed(s.startedAt, s.finishedAt, o.now).padEnd(6)} ${what}`.trimEnd();
  };
  const title = l.finished ? laneLine(l, c, o) : c.bold(l.service);
  let failure = l.failure ? failureLines(l, c, o.columns) : [];
  let steps = STEP_NAMES.map(stepLine);
  if (1 + steps.length + failure.length > rows && l.failure) steps = [stepLine(l.failure.step)];
  if (1 + steps.length + failure.length > rows) failure = [failure[0]!, ...failure.slice(failure.length - Math.max(0, rows - 3))];
  const room = rows - 1 - steps.length - failure.length;
  const logs = o.showLogs && room >= 3 ? logLines(l, o.container, c, Math.min(room - 1, 8)) : [];
  return [title, ...steps, ...failure, ...logs].slice(0, rows);
}

function failureLines(l: LaneView, c: ChalkInstance, columns: number): string[] {
  const f = l.failure!;
  const text = [
    c.red.bold(`${f.differences ? "Differs from the plan" : "Failed"}: ${f.message}`),
    ...(f.error?.code || f.error?.requestId
      ? [c.dim([f.error.code ? `Azure code ${f.error.code}` : "", f.error.requestId ? `request id ${f.error.requestId}` : ""].filter(Boolean).join(" · "))]
      : []),
    ...(f.differences ?? []).map((d) => `${d.field}: runs ${d.actual}, planned ${d.planned}`),
    ...(f.cause ? [`Likely cause: ${f.cause.cause}`, c.yellow(`Remedy: ${f.cause.remedy}`)] : []),
  ].join("\n");
  return wrapLines(text, columns - 4).map((line) => `  ${c.red("│")} ${line}`);
}

function logLines(l: LaneView, container: Container, c: ChalkInstance, rows: number): string[] {
  const name = container === "InferenceServer" ? "inference server" : "storage initializer";
  const all = l.logs[container];
  return [
    c.dim(`  ${l.service} logs · ${name} (Tab: the other container · l: hide)`),
    ...(all.length ? all.slice(-rows).map((x) => `    ${x}`) : [c.dim("    no lines yet")]),
  ];
}
