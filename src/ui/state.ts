import type { MigrationPlan, PlanOverrides } from "../domain/plan.js";
import type { V1Service } from "../domain/v1-service.js";
import type { InputAnswer, MigrationEvent } from "../migration/events.js";
import type { WorkspaceTarget } from "../migration/port.js";
import type { SessionSummary } from "../session/journal.js";
import type { StepName } from "../session/session-file.js";
import type { Identity, SubscriptionChoice, WorkspaceChoice } from "./backend.js";

/** Something fetched: each list screen has a loading, an error (with a hint) and a ready state. */
export type Loadable<T> =
  | { readonly status: "idle" }
  | { readonly status: "loading" }
  | { readonly status: "ready"; readonly value: T }
  | { readonly status: "error"; readonly message: string; readonly hint: string };

export type Screen = "start" | "subscriptions" | "workspaces" | "services" | "review" | "overrides" | "confirm" | "deploy" | "done";

/** One row of the services screen; AKS and unhealthy services are listed but cannot be chosen. */
export interface ServiceRow {
  readonly name: string;
  readonly doc: Record<string, unknown>;
  readonly service?: V1Service;
  readonly computeType: string;
  readonly state: string;
  readonly created?: string;
  readonly notSelectable?: string;
}

/** The plan being reviewed for one selected service, with the user's changes. */
export interface Draft {
  readonly service: V1Service;
  readonly overrides: PlanOverrides;
  readonly plan: MigrationPlan;
  readonly codeDir?: string;
  /** A problem with the last change (kept out of the plan until fixed). */
  readonly problem?: string;
}

/** The override form: which field has the cursor, and the text being typed. */
export interface OverridesForm {
  readonly cursor: number;
  readonly editing?: { readonly field: OverrideField; readonly text: string };
  /** The SKU picker: filter by kind, cursor in the filtered catalog. */
  readonly skuPicker?: { readonly kind: "cpu" | "gpu"; readonly cursor: number };
  readonly nameCheck: Loadable<"free" | "taken" | "ours">;
}

export const OVERRIDE_FIELDS = ["endpointName", "sku", "instanceCount", "authMode", "keepKeys", "requestTimeoutMs", "codeDir"] as const;
export type OverrideField = (typeof OVERRIDE_FIELDS)[number];

export type StepView = { readonly status: "pending" | "running" | "done" | "skipped" | "failed"; readonly startedAt?: number; readonly finishedAt?: number; readonly detail?: string; readonly lro?: string; readonly percent?: number };

export interface Lane {
  readonly service: string;
  readonly steps: Readonly<Record<StepName, StepView>>;
  readonly logs: { readonly StorageInitializer: readonly string[]; readonly InferenceServer: readonly string[] };
  readonly finished?: Extract<MigrationEvent, { type: "service-finished" }>;
  readonly lastError?: Extract<MigrationEvent, { type: "step-failed" }>["error"];
}

/** A line that will not change again (a finished step), printed once above the live area. */
export interface FinishedLine {
  readonly id: number;
  readonly text: string;
  readonly tone: "ok" | "fail" | "info";
}

export interface RunState {
  /** A session to continue; absent for a new one (made from the drafts). */
  readonly resumeId?: string;
  readonly sessionId?: string;
  /** Where the session works and what it planned (set once the session is open). */
  readonly target?: WorkspaceTarget;
  readonly plans: Readonly<Record<string, MigrationPlan>>;
  readonly phase: "starting" | "running" | "finished";
  readonly lanes: Readonly<Record<string, Lane>>;
  readonly order: readonly string[];
  readonly finishedLines: readonly FinishedLine[];
  readonly showLogs: boolean;
  readonly container: "StorageInitializer" | "InferenceServer";
  readonly question?: Extract<MigrationEvent, { type: "needs-input" }>;
  /** What the user chose, waiting for the effect that hands it to the engine. */
  readonly answer?: InputAnswer;
  readonly failureView?: "summary" | "full-logs" | "pick-sku";
  readonly skuCursor: number;
  readonly leavePrompt: boolean;
  readonly leaving: boolean;
  readonly result?: "done" | "failed" | "cancelled";
  readonly fatal?: { readonly message: string; readonly nextStep?: string };
  readonly signIn?: string;
}

export interface RetireState {
  readonly service: string;
  readonly typed: string;
  readonly phase: "typing" | "deleting" | "deleted" | "error";
  readonly message?: string;
}

export interface WizardState {
  readonly screen: Screen;
  readonly identity?: Identity;
  readonly sessions: readonly SessionSummary[];
  readonly cursor: number;
  readonly filter: string;
  readonly subscriptions: Loadable<readonly SubscriptionChoice[]>;
  readonly subscription?: SubscriptionChoice;
  readonly workspaces: Loadable<readonly WorkspaceChoice[]>;
  readonly workspace?: WorkspaceChoice;
  readonly services: Loadable<readonly ServiceRow[]>;
  readonly selected: readonly string[];
  readonly drafts: Readonly<Record<string, Draft>>;
  readonly reviewIndex: number;
  /** Free vCPUs by VM family in the workspace's region. */
  readonly quota: Readonly<Record<string, Loadable<number | undefined>>>;
  readonly form: OverridesForm;
  readonly confirmCursor: number;
  readonly run?: RunState;
  readonly retire?: RetireState;
  readonly exportRequest?: string;
  readonly notice?: string;
  readonly help: boolean;
  readonly columns: number;
  readonly rows: number;
  /** Short terminals: the review shows Microsoft's table instead of the findings while this is on (`t`). */
  readonly reviewTable: boolean;
  /** Set when the wizard should end, with the process exit code. */
  readonly exit?: { readonly code: number; readonly message?: string };
}

export function initialState(columns = 80, rows = 40): WizardState {
  return {
    screen: "start",
    sessions: [],
    cursor: 0,
    filter: "",
    subscriptions: { status: "idle" },
    workspaces: { status: "idle" },
    services: { status: "idle" },
    selected: [],
    drafts: {},
    reviewIndex: 0,
    quota: {},
    form: { cursor: 0, nameCheck: { status: "idle" } },
    confirmCursor: 0,
    help: false,
    columns,
    rows,
    reviewTable: false,
  };
}
