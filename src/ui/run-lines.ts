import type { ChalkInstance } from "chalk";
import { STEP_NAMES } from "../session/session-file.js";
import { elapsed } from "../journey/text/format.js";
import { focusedLane, progressOf, type Container, type DeployView, type LaneView, type StepView } from "./deploy-view.js";
import stringWidth from "string-width";
import { wrapLines } from "./layout.js";

export interface RunLayout {
  readonly columns: number;
  /** At most this many lines. */
  readonly rows: number;
  readonly showLogs: boolean;
  readonly container: Container;
  /** The service the person follows (n cycles through them): shown in full, with its logs. */
  readonly follow?: string;
  /** The spinner's frame of this moment. */
  readonly spin: string;
  readonly now: number;
}

/**
 * The live area of a run as lines that fit: a header, then per service one line when it is finished or waits its
 * turn, and in full (its steps, its failure, its logs) for the one that fails or deploys. With many services the
 * finished collapse and the failing one stays in view; what does not fit is counted. A line too long for the
 * terminal wraps (under a step's detail, under a log line's start), so nothing is cut.
 */
export function runLines(view: DeployView, c: ChalkInstance, o: RunLayout): string[] {
  const p = progressOf(view);
  const header = c.bold(`deploying · session ${view.sessionId}`) + c.dim(` · ${p.finished} of ${p.total} finished`);
  const focus = focusedLane(view, o.follow);
  const others = view.order.filter((n) => n !== focus?.service).map((n) => wrapLines(laneLine(view.lanes[n]!, c, o), o.columns));
  const budget = Math.max(1, o.rows - 1);
  // The service in full first (its failure before anything else), keeping a line or two for the others.
  const full = focus ? laneInFull(focus, c, o, Math.max(2, budget - Math.min(others.length, 2))) : [];
  const room = Math.max(0, budget - full.length);
  // The others whole, as many as fit; those that do not are counted on the last row.
  const rowsOf = (entries: string[][]) => entries.reduce((n, e) => n + e.length, 0);
  let kept = others.length;
  while (kept > 0 && rowsOf(others.slice(0, kept)) + (kept < others.length ? 1 : 0) > room) kept--;
  const shown = kept < others.length ? [...others.slice(0, kept), [c.dim(`… ${others.length - kept} more services`)]].slice(0, Math.max(0, room)) : others;
  // The focused service goes where it stands in the order, so the list does not jump.
  const at = focus ? Math.min(shown.length, view.order.indexOf(focus.service)) : 0;
  return [header, ...shown.slice(0, at).flat(), ...full, ...shown.slice(at).flat()].slice(0, Math.max(1, o.rows));
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
  const stepLine = (n: (typeof STEP_NAMES)[number]): string[] => {
    const s = l.steps[n];
    const what =
      s.status === "running"
        ? [s.lro, s.percent !== undefined ? `${s.percent}%` : undefined, s.detail].filter(Boolean).join(" · ")
        : s.status === "pending"
          ? ""
          : (s.detail ?? "");
    const lead = `  ${icon(s, c, o.spin)} ${n.padEnd(11)} ${elapsed(s.startedAt, s.finishedAt, o.now).padEnd(6)} `;
    if (!what) return [lead.trimEnd()];
    const hang = stringWidth(lead);
    return wrapLines(what, o.columns - hang).map((row, i) => (i === 0 ? lead : " ".repeat(hang)) + row);
  };
  const title = l.finished ? wrapLines(laneLine(l, c, o), o.columns) : [c.bold(l.service)];
  let failure = l.failure ? failureLines(l, c, o.columns) : [];
  let steps = STEP_NAMES.flatMap(stepLine);
  if (title.length + steps.length + failure.length > rows && l.failure) steps = stepLine(l.failure.step);
  if (title.length + steps.length + failure.length > rows) failure = [failure[0]!, ...failure.slice(failure.length - Math.max(0, rows - 3))];
  const room = rows - title.length - steps.length - failure.length;
  const logs = o.showLogs && room >= 3 ? logLines(l, o.container, c, Math.min(room - 1, 8), o.columns) : [];
  return [...title, ...steps, ...failure, ...logs].slice(0, rows);
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

/** The latest log rows: each line wrapped, its continuation indented under its start. */
function logLines(l: LaneView, container: Container, c: ChalkInstance, rows: number, columns: number): string[] {
  const name = container === "InferenceServer" ? "inference server" : "storage initializer";
  // The latest lines only are wrapped: a log holds hundreds.
  const rowsOfLog = l.logs[container].slice(-rows).flatMap((x) => wrapLines(x, columns - 6).map((r, i) => (i === 0 ? `    ${r}` : `      ${r}`)));
  return [
    ...wrapLines(c.dim(`  ${l.service} logs · ${name} (Tab: the other container · l: hide)`), columns),
    ...(rowsOfLog.length ? rowsOfLog.slice(-rows) : [c.dim("    no lines yet")]),
  ];
}
