import { AUTH_MODES, buildPlan, InvalidOverridesError, type AuthMode, type MigrationPlan, type PlanOverrides } from "../domain/plan.js";
import { skusByPrice, VM_SKUS } from "../domain/sku-catalog.js";
import type { InputAnswer, MigrationEvent } from "../migration/events.js";
import type { WorkspaceTarget } from "../migration/port.js";
import type { SessionSummary } from "../session/journal.js";
import { STEP_NAMES, type SessionFile, type StepName } from "../session/session-file.js";
import type { Identity, SubscriptionChoice, WorkspaceChoice } from "./backend.js";
import { OVERRIDE_FIELDS, type Draft, type Lane, type Loadable, type OverrideField, type RunState, type ServiceRow, type WizardState } from "./state.js";

/** The keys the wizard reads (ink's `Key`, narrowed to what is used). */
export interface KeyPress {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly tab?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
  readonly ctrl?: boolean;
}

export type Action =
  | { readonly type: "key"; readonly input: string; readonly key: KeyPress }
  | { readonly type: "identity"; readonly identity: Identity }
  | { readonly type: "sessions"; readonly sessions: readonly SessionSummary[] }
  | { readonly type: "subscriptions"; readonly result: Loadable<readonly SubscriptionChoice[]> }
  | { readonly type: "workspaces"; readonly result: Loadable<readonly WorkspaceChoice[]> }
  | { readonly type: "services"; readonly result: Loadable<readonly ServiceRow[]> }
  | { readonly type: "quota"; readonly family: string; readonly result: Loadable<number | undefined> }
  | { readonly type: "name-check"; readonly name: string; readonly result: Loadable<"free" | "taken" | "ours"> }
  | { readonly type: "run-started"; readonly sessionId: string; readonly services: readonly string[]; readonly target: WorkspaceTarget; readonly plans: Readonly<Record<string, MigrationPlan>> }
  | { readonly type: "event"; readonly event: MigrationEvent }
  | { readonly type: "run-ended"; readonly status: "done" | "failed" | "cancelled" }
  | { readonly type: "run-error"; readonly message: string; readonly nextStep?: string }
  | { readonly type: "answered" }
  | { readonly type: "exported"; readonly notice: string }
  | { readonly type: "retired"; readonly ok: boolean; readonly message?: string }
  | { readonly type: "resize"; readonly columns: number; readonly rows: number };

/** Unfinished sessions come first on the start screen; the last entry starts a new migration. */
export function resumableSessions(state: WizardState): SessionSummary[] {
  return state.sessions.filter((s) => s.session && s.session.status !== "done");
}

/** A list screen's rows after the type-to-filter text. */
export function filtered<T>(items: readonly T[], filter: string, text: (t: T) => string): T[] {
  const f = filter.toLowerCase();
  return f ? items.filter((i) => text(i).toLowerCase().includes(f)) : [...items];
}

export const subscriptionText = (s: SubscriptionChoice) => `${s.displayName} ${s.subscriptionId}`;
export const workspaceText = (w: WorkspaceChoice) => `${w.workspace} ${w.resourceGroup} ${w.location}`;
export const serviceText = (s: ServiceRow) => s.name;


export function currentDraft(state: WizardState): Draft | undefined {
  const name = state.selected[state.reviewIndex];
  return name ? state.drafts[name] : undefined;
}

/** Text the user typed (not a control key): every character at or above the space, other than DEL. */
const printable = (input: string, key: KeyPress) => input.length > 0 && !key.ctrl && !key.return && !key.escape && !key.tab && [...input].every((ch) => ch >= " " && ch !== "\u007f");

export function reducer(state: WizardState, action: Action): WizardState {
  switch (action.type) {
    case "identity":
      return { ...state, identity: action.identity };
    case "sessions":
      return { ...state, sessions: action.sessions };
    case "subscriptions":
      return { ...state, subscriptions: action.result };
    case "workspaces":
      return { ...state, workspaces: action.result };
    case "services":
      return { ...state, services: action.result };
    case "quota":
      return { ...state, quota: { ...state.quota, [action.family]: action.result } };
    case "name-check":
      return state.form.editing?.field === "endpointName" && state.form.editing.text !== action.name ? state : { ...state, form: { ...state.form, nameCheck: action.result } };
    case "resize":
      return { ...state, columns: action.columns, rows: action.rows };
    case "exported":
      return { ...state, exportRequest: undefined, notice: action.notice };
    case "retired":
      return state.retire ? { ...state, retire: { ...state.retire, phase: action.ok ? "deleted" : "error", message: action.message } } : state;
    case "run-started":
      return state.run ? { ...state, run: { ...state.run, sessionId: action.sessionId, target: action.target, plans: action.plans, phase: "running", order: action.services, lanes: Object.fromEntries(action.services.map((s) => [s, state.run!.lanes[s] ?? newLane(s)])) } } : state;
    case "event":
      return state.run ? { ...state, run: applyEvent(state.run, action.event) } : state;
    case "answered":
      return state.run ? { ...state, run: { ...state.run, answer: undefined, question: undefined, failureView: undefined } } : state;
    case "run-ended": {
      if (!state.run) return state;
      const run: RunState = { ...state.run, phase: "finished", result: action.status, question: undefined };
      if (action.status === "cancelled") {
        return { ...state, run, exit: { code: 130, message: `Left the migration; anything already started keeps running in Azure. Continue with: aci-migrate resume ${run.sessionId ?? ""}`.trim() } };
      }
      return { ...state, run, screen: action.status === "done" ? "done" : "deploy" };
    }
    case "run-error":
      return state.run ? { ...state, run: { ...state.run, phase: "finished", result: "failed", fatal: { message: action.message, nextStep: action.nextStep } } } : state;
    case "key":
      return onKey(state, action.input, action.key);
  }
}

export function newLane(service: string): Lane {
  return { service, steps: Object.fromEntries(STEP_NAMES.map((s) => [s, { status: "pending" }])) as Lane["steps"], logs: { StorageInitializer: [], InferenceServer: [] } };
}

/** Lanes for a session being resumed: steps already finished show as such. */
export function lanesFromSession(session: SessionFile): Record<string, Lane> {
  return Object.fromEntries(
    session.services.map((s) => {
      const lane = newLane(s.name);
      const steps = Object.fromEntries(STEP_NAMES.map((n) => [n, { status: s.steps[n].status === "running" ? "pending" : s.steps[n].status, detail: s.steps[n].detail }])) as Lane["steps"];
      return [s.name, { ...lane, steps }];
    }),
  );
}

let lineId = 0;

function applyEvent(run: RunState, e: MigrationEvent): RunState {
  const now = Date.now();
  const lane = "service" in e ? (run.lanes[e.service] ?? newLane(e.service)) : undefined;
  const withLane = (l: Lane): RunState => ({ ...run, lanes: { ...run.lanes, [l.service]: l } });
  const setStep = (l: Lane, step: StepName, patch: Partial<Lane["steps"][StepName]>): Lane => ({ ...l, steps: { ...l.steps, [step]: { ...l.steps[step], ...patch } } });
  switch (e.type) {
    case "session-started":
      return { ...run, sessionId: e.sessionId };
    case "sign-in":
      return { ...run, signIn: e.message };
    case "step-started":
      return withLane(setStep(lane!, e.step, { status: "running", startedAt: now, finishedAt: undefined, lro: undefined, percent: undefined }));
    case "step-progress":
      // An operation's state is shown as the state; other progress as the step's detail.
      return withLane(setStep(lane!, e.step, e.lro ? { lro: e.lro.status, percent: e.lro.percentComplete } : { detail: e.message }));
    case "log-lines": {
      const logs = { ...lane!.logs, [e.container]: [...lane!.logs[e.container], ...e.lines].slice(-2000) };
      return withLane({ ...lane!, logs });
    }
    case "step-finished": {
      const r = withLane(setStep(lane!, e.step, { status: e.outcome === "skipped" ? "skipped" : "done", finishedAt: now, detail: e.detail }));
      return { ...r, finishedLines: [...run.finishedLines, { id: ++lineId, tone: "ok", text: `${e.service} · ${e.step}: ${e.detail}` }] };
    }
    case "step-failed": {
      const r = withLane({ ...setStep(lane!, e.step, { status: "failed", finishedAt: now, detail: e.error.message.split("\n")[0] }), lastError: e.error });
      return { ...r, finishedLines: [...run.finishedLines, { id: ++lineId, tone: "fail", text: `${e.service} · ${e.step}: ${e.error.message.split("\n")[0]}` }] };
    }
    case "needs-input":
      return { ...run, question: e, failureView: "summary", skuCursor: 0 };
    case "input-received":
      return run;
    case "service-finished":
      return withLane({ ...lane!, finished: e });
    case "session-finished":
      return run;
  }
}

function onKey(state: WizardState, input: string, key: KeyPress): WizardState {
  if (key.ctrl && input === "c") return interrupt(state);
  if (state.help) return input === "?" || key.escape || key.return ? { ...state, help: false } : state;
  const s = { ...state, notice: undefined };
  switch (state.screen) {
    case "start":
      return startKeys(s, input, key);
    case "subscriptions":
      return listKeys(s, input, key, (state.subscriptions.status === "ready" ? filtered(state.subscriptions.value, state.filter, subscriptionText) : []).length, (i) => {
        const list = state.subscriptions.status === "ready" ? filtered(state.subscriptions.value, state.filter, subscriptionText) : [];
        const sub = list[i];
        return sub ? { ...s, screen: "workspaces", subscription: sub, workspaces: { status: "idle" }, cursor: 0, filter: "" } : s;
      }, () => ({ ...s, screen: "start", cursor: 0, filter: "" }));
    case "workspaces":
      return listKeys(s, input, key, (state.workspaces.status === "ready" ? filtered(state.workspaces.value, state.filter, workspaceText) : []).length, (i) => {
        const list = state.workspaces.status === "ready" ? filtered(state.workspaces.value, state.filter, workspaceText) : [];
        const ws = list[i];
        return ws ? { ...s, screen: "services", workspace: ws, services: { status: "idle" }, selected: [], cursor: 0, filter: "" } : s;
      }, () => ({ ...s, screen: "subscriptions", cursor: 0, filter: "" }));
    case "services":
      return servicesKeys(s, input, key);
    case "review":
      return reviewKeys(s, input, key);
    case "overrides":
      return overridesKeys(s, input, key);
    case "confirm":
      return confirmKeys(s, input, key);
    case "deploy":
      return deployKeys(s, input, key);
    case "done":
      return doneKeys(s, input, key);
  }
}

/** Ctrl+C: mid-deployment it asks (leave or keep watching); elsewhere it ends the wizard with 130. */
function interrupt(state: WizardState): WizardState {
  if (state.run?.phase === "running") {
    if (state.run.leavePrompt) return { ...state, run: { ...state.run, leaving: true, leavePrompt: false } };
    return { ...state, run: { ...state.run, leavePrompt: true } };
  }
  return { ...state, exit: { code: 130, message: "Cancelled." } };
}

function startKeys(s: WizardState, input: string, key: KeyPress): WizardState {
  const sessions = resumableSessions(s);
  const count = sessions.length + 1;
  if (key.upArrow) return { ...s, cursor: Math.max(0, s.cursor - 1) };
  if (key.downArrow) return { ...s, cursor: Math.min(count - 1, s.cursor + 1) };
  if (input === "q" || key.escape) return { ...s, exit: { code: 0 } };
  if (input === "?") return { ...s, help: true };
  if (!key.return) return s;
  const chosen = sessions[s.cursor];
  if (!chosen?.session) return { ...s, screen: "subscriptions", cursor: 0, filter: "" };
  return { ...s, screen: "deploy", run: newRun({ resumeId: chosen.id, order: chosen.session.services.map((x) => x.name), lanes: lanesFromSession(chosen.session) }) };
}

export function newRun(o: { resumeId?: string; order: readonly string[]; lanes?: Record<string, Lane> }): RunState {
  return {
    resumeId: o.resumeId,
    phase: "starting",
    order: o.order,
    lanes: o.lanes ?? Object.fromEntries(o.order.map((n) => [n, newLane(n)])),
    finishedLines: [],
    plans: {},
    showLogs: true,
    container: "InferenceServer",
    skuCursor: 0,
    leavePrompt: false,
    leaving: false,
  };
}

/** Type-to-filter lists: arrows move, Enter chooses, Esc goes back, letters filter, Backspace unfilters. */
function listKeys(s: WizardState, input: string, key: KeyPress, count: number, choose: (index: number) => WizardState, back: () => WizardState): WizardState {
  if (key.upArrow) return { ...s, cursor: Math.max(0, s.cursor - 1) };
  if (key.downArrow) return { ...s, cursor: Math.max(0, Math.min(count - 1, s.cursor + 1)) };
  if (key.return) return choose(s.cursor);
  if (key.escape) return s.filter ? { ...s, filter: "", cursor: 0 } : back();
  if (key.backspace || key.delete) return { ...s, filter: s.filter.slice(0, -1), cursor: 0 };
  if (input === "?" && !s.filter) return { ...s, help: true };
  if (printable(input, key) && input !== " ") return { ...s, filter: s.filter + input, cursor: 0 };
  return s;
}

function servicesKeys(s: WizardState, input: string, key: KeyPress): WizardState {
  const rows = s.services.status === "ready" ? filtered(s.services.value, s.filter, serviceText) : [];
  if (input === " ") {
    const row = rows[s.cursor];
    if (!row) return s;
    if (row.notSelectable) return { ...s, notice: `${row.name} cannot be migrated: ${row.notSelectable}` };
    const selected = s.selected.includes(row.name) ? s.selected.filter((n) => n !== row.name) : [...s.selected, row.name];
    return { ...s, selected };
  }
  return listKeys(s, input, key, rows.length, () => {
    if (!s.selected.length) return { ...s, notice: "Select at least one service with Space." };
    const all = s.services.status === "ready" ? s.services.value : [];
    const drafts: Record<string, Draft> = {};
    for (const name of s.selected) {
      const row = all.find((r) => r.name === name)!;
      drafts[name] = s.drafts[name] ?? { service: row.service!, overrides: {}, plan: buildPlan(row.service!, {}) };
    }
    return { ...s, screen: "review", drafts, reviewIndex: 0, filter: "", cursor: 0 };
  }, () => ({ ...s, screen: "workspaces", cursor: 0, filter: "" }));
}

function reviewKeys(s: WizardState, input: string, key: KeyPress): WizardState {
  const last = s.selected.length - 1;
  if (key.rightArrow || key.tab) return { ...s, reviewIndex: Math.min(last, s.reviewIndex + 1) };
  if (key.leftArrow) return { ...s, reviewIndex: Math.max(0, s.reviewIndex - 1) };
  if (input === "?") return { ...s, help: true };
  if (input === "e") return { ...s, screen: "overrides", form: { cursor: 0, nameCheck: { status: "idle" } } };
  if (input === "x") return { ...s, exportRequest: s.selected[s.reviewIndex] };
  if (input === "t") return { ...s, reviewTable: !s.reviewTable };
  if (input === "b" || key.escape) return { ...s, screen: "services", cursor: 0 };
  if (key.return) return s.reviewIndex < last ? { ...s, reviewIndex: s.reviewIndex + 1 } : { ...s, screen: "confirm", confirmCursor: 0 };
  return s;
}

/** Applies a change to the current service's plan; a rejected value is shown and the plan stays as it was. */
export function applyOverride(s: WizardState, change: Partial<PlanOverrides> & { codeDir?: string | undefined }): WizardState {
  const name = s.selected[s.reviewIndex]!;
  const draft = s.drafts[name]!;
  const { codeDir, ...planChange } = change;
  const overrides = { ...draft.overrides, ...planChange };
  try {
    const plan = buildPlan(draft.service, overrides);
    return { ...s, drafts: { ...s.drafts, [name]: { ...draft, overrides, plan, problem: undefined, codeDir: "codeDir" in change ? codeDir : draft.codeDir } } };
  } catch (e) {
    if (!(e instanceof InvalidOverridesError)) throw e;
    return { ...s, drafts: { ...s.drafts, [name]: { ...draft, problem: e.problems.map((p) => p.message).join(" ") } } };
  }
}

/** The text a field starts from when edited. */
function fieldText(draft: Draft, field: OverrideField): string {
  switch (field) {
    case "endpointName":
      return draft.plan.endpointName;
    case "instanceCount":
      return String(draft.plan.instanceCount);
    case "requestTimeoutMs":
      return String(draft.plan.requestTimeoutMs / 1000);
    case "codeDir":
      return draft.codeDir ?? "";
    default:
      return "";
  }
}

function overridesKeys(s: WizardState, input: string, key: KeyPress): WizardState {
  const draft = currentDraft(s)!;
  const form = s.form;
  if (form.skuPicker) {
    const list = skusByPrice(form.skuPicker.kind);
    if (key.escape) return { ...s, form: { ...form, skuPicker: undefined } };
    if (key.tab) return { ...s, form: { ...form, skuPicker: { kind: form.skuPicker.kind === "cpu" ? "gpu" : "cpu", cursor: 0 } } };
    if (key.upArrow) return { ...s, form: { ...form, skuPicker: { ...form.skuPicker, cursor: Math.max(0, form.skuPicker.cursor - 1) } } };
    if (key.downArrow) return { ...s, form: { ...form, skuPicker: { ...form.skuPicker, cursor: Math.min(list.length - 1, form.skuPicker.cursor + 1) } } };
    if (key.return) {
      const sku = list[form.skuPicker.cursor];
      return sku ? { ...applyOverride(s, { sku: sku.name }), form: { ...form, skuPicker: undefined } } : s;
    }
    return s;
  }
  if (form.editing) {
    const { field, text } = form.editing;
    if (key.escape) return { ...s, form: { ...form, editing: undefined, nameCheck: { status: "idle" } } };
    if (key.backspace || key.delete) return { ...s, form: { ...form, editing: { field, text: text.slice(0, -1) } } };
    if (key.return) {
      const done = { ...s, form: { ...form, editing: undefined } };
      if (field === "endpointName") return applyOverride(done, { endpointName: text.trim() || undefined });
      if (field === "instanceCount") return applyOverride(done, { instanceCount: text.trim() ? Number(text) : undefined });
      if (field === "requestTimeoutMs") return applyOverride(done, { requestTimeoutMs: text.trim() ? Math.round(Number(text) * 1000) : undefined });
      return applyOverride(done, { codeDir: text.trim() || undefined });
    }
    if (printable(input, key)) return { ...s, form: { ...form, editing: { field, text: text + input } } };
    return s;
  }
  if (key.upArrow) return { ...s, form: { ...form, cursor: Math.max(0, form.cursor - 1) } };
  if (key.downArrow) return { ...s, form: { ...form, cursor: Math.min(OVERRIDE_FIELDS.length - 1, form.cursor + 1) } };
  if (key.escape || input === "b") return { ...s, screen: "review" };
  if (input === "?") return { ...s, help: true };
  if (!key.return && input !== " ") return s;
  const field = OVERRIDE_FIELDS[form.cursor]!;
  if (field === "sku") {
    const kind = draft.plan.sku.name && VM_SKUS.find((k) => k.name === draft.plan.sku.name)?.architecture === "gpu" ? "gpu" : "cpu";
    const index = Math.max(0, skusByPrice(kind).findIndex((k) => k.name === draft.plan.sku.name));
    return { ...s, form: { ...form, skuPicker: { kind, cursor: index } } };
  }
  if (field === "authMode") {
    const next = AUTH_MODES[(AUTH_MODES.indexOf(draft.plan.authMode as AuthMode) + 1) % AUTH_MODES.length]!;
    return applyOverride(s, { authMode: next });
  }
  if (field === "keepKeys") return applyOverride(s, { keepKeys: draft.overrides.keepKeys === false ? undefined : false });
  return { ...s, form: { ...form, editing: { field, text: fieldText(draft, field) }, nameCheck: { status: "idle" } } };
}

/** Every blocker of every selected service, as `service:finding`, in the order the confirm screen lists them. */
export function pendingBlockers(s: WizardState): { id: string; service: string; finding: string; message: string; acknowledgeable: boolean; acknowledged: boolean }[] {
  return s.selected.flatMap((name) => {
    const plan = s.drafts[name]!.plan;
    return plan.findings.filter((f) => f.severity === "blocker").map((f) => ({ id: `${name}:${f.id}`, service: name, finding: f.id, message: f.message, acknowledgeable: f.id !== "no-sku-fits", acknowledged: f.acknowledged }));
  });
}

function confirmKeys(s: WizardState, input: string, key: KeyPress): WizardState {
  const blockers = pendingBlockers(s);
  if (key.upArrow) return { ...s, confirmCursor: Math.max(0, s.confirmCursor - 1) };
  if (key.downArrow) return { ...s, confirmCursor: Math.min(Math.max(0, blockers.length - 1), s.confirmCursor + 1) };
  if (key.escape || input === "b") return { ...s, screen: "review" };
  if (input === "?") return { ...s, help: true };
  if (input === " ") {
    const b = blockers[s.confirmCursor];
    if (!b) return s;
    if (!b.acknowledgeable) return { ...s, notice: `${b.finding} cannot be acknowledged: choose a SKU for ${b.service} (e to edit on the review screen).` };
    // The plan's own acknowledgements are the truth: the confirm screen only toggles them.
    const on = !b.acknowledged;
    const draft = s.drafts[b.service]!;
    const ack = new Set(draft.overrides.acknowledge ?? []);
    if (on) ack.add(b.finding);
    else ack.delete(b.finding);
    const index = s.selected.indexOf(b.service);
    const updated = applyOverride({ ...s, reviewIndex: index }, { acknowledge: [...ack] });
    return { ...updated, reviewIndex: s.reviewIndex };
  }
  if (!key.return) return s;
  const open = blockers.filter((b) => !b.acknowledged);
  if (open.length) return { ...s, notice: `Acknowledge each blocker with Space first (${open.length} left), or go back (b) and change the plan.` };
  return { ...s, screen: "deploy", run: newRun({ order: s.selected }) };
}

function deployKeys(s: WizardState, input: string, key: KeyPress): WizardState {
  const run = s.run!;
  if (run.leavePrompt) {
    if (input === "q" || key.return) return { ...s, run: { ...run, leavePrompt: false, leaving: true } };
    if (input === "w" || key.escape) return { ...s, run: { ...run, leavePrompt: false } };
    return s;
  }
  if (run.question && !run.answer) return failureKeys(s, run, input, key);
  if (input === "l") return { ...s, run: { ...run, showLogs: !run.showLogs } };
  if (key.tab) return { ...s, run: { ...run, container: run.container === "InferenceServer" ? "StorageInitializer" : "InferenceServer" } };
  if (run.phase === "finished" && (input === "q" || key.return || key.escape)) {
    return { ...s, exit: { code: run.result === "done" ? 0 : 1, message: run.result === "done" ? undefined : `Stopped; nothing is lost. Continue with: aci-migrate resume ${run.sessionId ?? ""}`.trim() } };
  }
  return s;
}

/** A failed (or differing) resource: retry, change the SKU and retry, read the full logs, or stop (resumable). */
function failureKeys(s: WizardState, run: RunState, input: string, key: KeyPress): WizardState {
  const q = run.question!;
  const answer = (a: InputAnswer): WizardState => ({ ...s, run: { ...run, answer: a } });
  if (run.failureView === "pick-sku") {
    const list = skusByPrice("cpu");
    if (key.escape) return { ...s, run: { ...run, failureView: "summary" } };
    if (key.upArrow) return { ...s, run: { ...run, skuCursor: Math.max(0, run.skuCursor - 1) } };
    if (key.downArrow) return { ...s, run: { ...run, skuCursor: Math.min(list.length - 1, run.skuCursor + 1) } };
    if (key.return) return answer({ choice: "adapt", overrides: { sku: list[run.skuCursor]!.name } });
    return s;
  }
  if (input === "f") return { ...s, run: { ...run, failureView: run.failureView === "full-logs" ? "summary" : "full-logs" } };
  if (input === "r" && q.choices.includes("retry")) return answer({ choice: "retry" });
  if (input === "s" && q.choices.includes("adapt")) return { ...s, run: { ...run, failureView: "pick-sku", skuCursor: 0 } };
  if (input === "q" && q.choices.includes("stop")) return answer({ choice: "stop" });
  if (key.tab) return { ...s, run: { ...run, container: run.container === "InferenceServer" ? "StorageInitializer" : "InferenceServer" } };
  return s;
}

function doneKeys(s: WizardState, input: string, key: KeyPress): WizardState {
  const retire = s.retire;
  if (retire && retire.phase === "typing") {
    if (key.escape) return { ...s, retire: undefined };
    if (key.backspace || key.delete) return { ...s, retire: { ...retire, typed: retire.typed.slice(0, -1) } };
    if (key.return) return retire.typed === retire.service ? { ...s, retire: { ...retire, phase: "deleting" } } : { ...s, notice: `Type ${retire.service} exactly to retire it, or Esc.` };
    if (printable(input, key)) return { ...s, retire: { ...retire, typed: retire.typed + input } };
    return s;
  }
  const migrated = (s.run?.order ?? []).filter((n) => s.run?.lanes[n]?.finished?.status === "migrated");
  if (input === "d" && migrated.length) {
    const service = migrated[Math.min(s.cursor, migrated.length - 1)]!;
    return { ...s, retire: { service, typed: "", phase: "typing" } };
  }
  if (key.upArrow) return { ...s, cursor: Math.max(0, s.cursor - 1) };
  if (key.downArrow) return { ...s, cursor: Math.min(Math.max(0, migrated.length - 1), s.cursor + 1) };
  if (input === "q" || key.return || key.escape) return { ...s, exit: { code: 0 } };
  return s;
}
