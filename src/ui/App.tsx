import { Box, useApp, useInput, useStdout } from "ink";
import { useEffect, useReducer, useRef } from "react";
import { isValidName } from "../domain/names.js";
import { checkEndpointName } from "../migration/endpoint-name.js";
import { runMigration } from "../migration/engine.js";
import { toStepError } from "../migration/errors.js";
import { newStepRecords } from "../session/session-file.js";
import type { WizardBackend } from "./backend.js";
import { describeLoadError } from "./format.js";
import { currentDraft, reducer } from "./reducer.js";
import { skusByPrice } from "../domain/sku-catalog.js";
import { ConfirmScreen } from "./screens/ConfirmScreen.js";
import { DeployScreen, FinishedLines } from "./screens/DeployScreen.js";
import { DoneScreen } from "./screens/DoneScreen.js";
import { HelpScreen } from "./screens/HelpScreen.js";
import { OverridesScreen } from "./screens/OverridesScreen.js";
import { SubscriptionScreen, WorkspaceScreen } from "./screens/PickScreen.js";
import { ReviewScreen } from "./screens/ReviewScreen.js";
import { ServicesScreen } from "./screens/ServicesScreen.js";
import { StartScreen } from "./screens/StartScreen.js";
import { toServiceRow } from "./service-rows.js";
import { initialState, type WizardState } from "./state.js";

export interface AppProps {
  readonly backend: WizardBackend;
  /** Called once when the wizard ends, with the exit code and a line to print after ink unmounts. */
  readonly onExit: (code: number, message?: string) => void;
  /** Start somewhere other than the start screen (e.g. `aci-migrate resume` lands on the deployment). */
  readonly initial?: Partial<WizardState>;
  /** Debounce of the endpoint-name availability check. */
  readonly nameCheckDelayMs?: number;
}

/**
 * The wizard. One root `useInput` turns keys into actions for the reducer; everything that talks to the outside
 * (loading lists, checking names, running the engine, exporting, retiring) runs in effects keyed on state.
 */
export function App({ backend, onExit, initial, nameCheckDelayMs = 300 }: AppProps) {
  const { stdout } = useStdout();
  const [state, dispatch] = useReducer(reducer, undefined, () => ({ ...initialState(stdout?.columns ?? 80, stdout?.rows ?? 40), ...initial }));
  const app = useApp();
  const controller = useRef<AbortController | undefined>(undefined);
  const started = useRef(false);

  useInput((input, key) => dispatch({ type: "key", input, key }));

  useEffect(() => {
    backend.identity().then((identity) => dispatch({ type: "identity", identity }), () => undefined);
    // Sessions made on the other side (Azure vs the sandbox) cannot resume here; unreadable ones are still counted.
    dispatch({ type: "sessions", sessions: backend.sessions.list().filter((s) => !s.session || s.session.target.kind === backend.kind) });
    const onResize = () => dispatch({ type: "resize", columns: stdout.columns, rows: stdout.rows ?? 40 });
    stdout?.on("resize", onResize);
    return () => void stdout?.off("resize", onResize);
  }, [backend, stdout]);

  // Lists: each loads when its screen opens.
  useEffect(() => {
    if (state.screen !== "subscriptions" || state.subscriptions.status !== "idle") return;
    dispatch({ type: "subscriptions", result: { status: "loading" } });
    backend.listSubscriptions().then(
      (value) => dispatch({ type: "subscriptions", result: { status: "ready", value } }),
      (e) => dispatch({ type: "subscriptions", result: { status: "error", ...describeLoadError(e) } }),
    );
  }, [backend, state.screen, state.subscriptions.status]);

  useEffect(() => {
    if (state.screen !== "workspaces" || state.workspaces.status !== "idle" || !state.subscription) return;
    dispatch({ type: "workspaces", result: { status: "loading" } });
    backend.listWorkspaces(state.subscription.subscriptionId).then(
      (value) => dispatch({ type: "workspaces", result: { status: "ready", value } }),
      (e) => dispatch({ type: "workspaces", result: { status: "error", ...describeLoadError(e) } }),
    );
  }, [backend, state.screen, state.workspaces.status, state.subscription]);

  useEffect(() => {
    const ws = state.workspace;
    if (state.screen !== "services" || state.services.status !== "idle" || !ws) return;
    dispatch({ type: "services", result: { status: "loading" } });
    backend.listServices(ws).then(
      (docs) => dispatch({ type: "services", result: { status: "ready", value: docs.map((d) => toServiceRow(d, ws.workspace)).sort((a, b) => a.name.localeCompare(b.name)) } }),
      (e) => dispatch({ type: "services", result: { status: "error", ...describeLoadError(e) } }),
    );
  }, [backend, state.screen, state.services.status, state.workspace]);

  // Quota of every VM family on screen (the plans', and the SKU picker's).
  const families = [
    ...Object.values(state.drafts).flatMap((d) => (d.plan.quota ? [d.plan.quota.family] : [])),
    ...(state.form.skuPicker && state.screen === "overrides" ? skusByPrice(state.form.skuPicker.kind).map((s) => s.family) : []),
  ].filter((f, i, all) => all.indexOf(f) === i && !state.quota[f]);
  const familyKey = families.join(",");
  useEffect(() => {
    const ws = state.workspace;
    if (!ws || !familyKey) return;
    for (const family of familyKey.split(",")) {
      dispatch({ type: "quota", family, result: { status: "loading" } });
      backend.port.freeQuota(ws, family).then(
        (value) => dispatch({ type: "quota", family, result: { status: "ready", value } }),
        (e) => dispatch({ type: "quota", family, result: { status: "error", ...describeLoadError(e) } }),
      );
    }
  }, [backend, familyKey, state.workspace]);

  // Endpoint-name availability, debounced while typing.
  const typedName = state.form.editing?.field === "endpointName" ? state.form.editing.text : undefined;
  const serviceName = currentDraft(state)?.service.name;
  useEffect(() => {
    const ws = state.workspace;
    if (typedName === undefined || !ws || !isValidName(typedName)) return;
    let live = true;
    const t = setTimeout(async () => {
      try {
        const value = await checkEndpointName(backend.port, ws, typedName, serviceName ?? "");
        if (live) dispatch({ type: "name-check", name: typedName, result: { status: "ready", value } });
      } catch (e) {
        if (live) dispatch({ type: "name-check", name: typedName, result: { status: "error", ...describeLoadError(e) } });
      }
    }, nameCheckDelayMs);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [backend, typedName, serviceName, state.workspace, nameCheckDelayMs]);

  // Export the az ml YAML of a service's plan.
  useEffect(() => {
    const name = state.exportRequest;
    if (!name) return;
    const draft = state.drafts[name]!;
    backend.exportYaml(draft.plan, draft.codeDir).then(
      ({ dir, files }) => dispatch({ type: "exported", notice: `Exported ${files.join(", ")} to ${dir}` }),
      (e: Error) => dispatch({ type: "exported", notice: `Could not export the YAML of ${name} into ${backend.exportDir}: ${e.message}` }),
    );
  }, [backend, state.exportRequest, state.drafts]);

  // The migration itself: a new session from the drafts, or the one being resumed.
  const run = state.run;
  useEffect(() => {
    if (run?.phase !== "starting" || started.current) return;
    started.current = true;
    const secrets = new Set<string>();
    const store = backend.sessions.withSecrets(() => [...secrets]);
    let sessionId = run.resumeId;
    try {
      if (!sessionId) {
        const ws = state.workspace!;
        const created = store.create({
          status: "running",
          target: { kind: backend.kind, armEndpoint: backend.armEndpoint, subscriptionId: ws.subscriptionId, resourceGroup: ws.resourceGroup, workspace: ws.workspace, location: ws.location },
          services: state.selected.map((name) => {
            const d = state.drafts[name]!;
            return { name, overrides: d.overrides, codeDir: d.codeDir, plan: d.plan, steps: newStepRecords(), resources: {} };
          }),
        });
        created.release();
        sessionId = created.data.id;
      }
      const session = store.open(sessionId!);
      const { subscriptionId, resourceGroup, workspace, location } = session.data.target;
      dispatch({ type: "run-started", sessionId: session.data.id, services: session.data.services.map((s) => s.name), target: { subscriptionId, resourceGroup, workspace, location }, plans: Object.fromEntries(session.data.services.map((s) => [s.name, s.plan])) });
      controller.current = new AbortController();
      runMigration({ port: backend.port, session, secrets, signal: controller.current.signal, resumed: Boolean(run.resumeId), emit: (event) => dispatch({ type: "event", event }) })
        .then((status) => dispatch({ type: "run-ended", status }), (e) => dispatch({ type: "run-error", ...toStepError(e) }))
        .finally(() => session.release());
    } catch (e) {
      dispatch({ type: "run-error", ...toStepError(e) });
    }
  }, [backend, run?.phase, run?.resumeId, state.workspace, state.selected, state.drafts]);

  // Hand the user's answer to the engine (the question's continuation).
  useEffect(() => {
    if (!run?.answer || !run.question) return;
    run.question.respond(run.answer);
    dispatch({ type: "answered" });
  }, [run?.answer, run?.question]);

  useEffect(() => {
    if (run?.leaving) controller.current?.abort(new Error("left by the user"));
  }, [run?.leaving]);

  // Retire the old ACI service (only after its name was typed).
  const retire = state.retire;
  useEffect(() => {
    if (retire?.phase !== "deleting" || !run?.target) return;
    backend.deleteV1Service(run.target, retire.service).then(
      () => dispatch({ type: "retired", ok: true }),
      (e) => dispatch({ type: "retired", ok: false, message: describeLoadError(e).message }),
    );
  }, [backend, retire?.phase, retire?.service, run?.target]);

  useEffect(() => {
    if (!state.exit) return;
    onExit(state.exit.code, state.exit.message);
    app.exit();
  }, [state.exit, onExit, app]);

  return (
    <Box flexDirection="column" width={Math.max(40, state.columns)}>
      <FinishedLines lines={state.run?.finishedLines ?? []} />
      {screenFor(state)}
      {state.help ? <HelpScreen screen={state.screen} /> : null}
    </Box>
  );
}

function screenFor(state: WizardState) {
  switch (state.screen) {
    case "start":
      return <StartScreen state={state} />;
    case "subscriptions":
      return <SubscriptionScreen state={state} />;
    case "workspaces":
      return <WorkspaceScreen state={state} />;
    case "services":
      return <ServicesScreen state={state} />;
    case "review":
      return <ReviewScreen state={state} />;
    case "overrides":
      return <OverridesScreen state={state} />;
    case "confirm":
      return <ConfirmScreen state={state} />;
    case "deploy":
      return <DeployScreen state={state} />;
    case "done":
      return <DoneScreen state={state} />;
  }
}
