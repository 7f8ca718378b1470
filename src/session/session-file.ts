import type { RunnerChoice } from "../domain/rehearsal.js";
import type { MigrationPlan, PlanOverrides } from "../domain/plan.js";
import type { ReplaySettings } from "../domain/replay-report.js";

/** Bump when a field changes meaning; a file with a newer version is reported and left untouched. */
export const SESSION_SCHEMA_VERSION = 3;

/**
 * Schema 2 added `model` (several v1 models copied into one folder model) after `code`; schema 3 added `compare`
 * (real requests replayed on both sides) before `traffic`.
 */
export const STEP_NAMES = ["preflight", "code", "model", "endpoint", "deployment", "smoke-test", "compare", "traffic"] as const;
export type StepName = (typeof STEP_NAMES)[number];
export type StepStatus = "pending" | "running" | "done" | "failed" | "skipped";

export interface StepError {
  readonly kind: "user-fixable" | "azure" | "bug";
  readonly message: string;
  readonly nextStep?: string;
  readonly status?: number;
  readonly code?: string;
  readonly requestId?: string;
}

export interface StepRecord {
  status: StepStatus;
  startedAt?: string;
  finishedAt?: string;
  attempts: number;
  /** One line of what the step found or did, e.g. "reused code version 3f2a…". */
  detail?: string;
  error?: StepError;
}

/** Azure resources the steps created or adopted. (Operations in flight are found again from the resources' state.) */
export interface SessionResources {
  codeId?: string;
  /** The folder model that combines a service's v1 models (absent for a service with one model). */
  modelId?: string;
  /** The environment registered in another workspace for the deployment (--target-workspace). */
  environmentId?: string;
  endpointId?: string;
  deploymentId?: string;
  scoringUri?: string;
}

export interface SessionService {
  readonly name: string;
  overrides: PlanOverrides;
  /** A local folder holding the scoring code, used instead of the v1 source snapshot. */
  codeDir?: string;
  /** Rehearse on this machine in preflight (`migrate --rehearse`), with this runner; a failed rehearsal blocks. */
  rehearse?: { readonly runner: RunnerChoice; readonly python?: string };
  /**
   * A blue/green switch in steps (`--traffic-steps`): the new deployment's share at each step, the wait between
   * them, and how long the old deployment is kept once the new one takes everything (absent: until asked).
   */
  cutover?: SessionCutover;
  /** The old deployment the traffic step kept (and until when, absent: until asked); `rollback` moves traffic back to it. */
  keptOld?: { readonly deployment: string; readonly until?: string };
  /** How the compare step replays and judges (the flags of `migrate`); absent: the defaults, on collected inputs. */
  replay?: SessionReplay;
  /** Applied from a saved plan (`migrate --plan`): its file, and the v1 service's fingerprint the plan was based on. */
  savedPlan?: { readonly file: string; readonly service: Readonly<Record<string, string>> };
  plan: MigrationPlan;
  steps: Record<StepName, StepRecord>;
  resources: SessionResources;
  outcome?: { status: "migrated" | "failed" | "blocked" | "cancelled"; smokeTest?: { status: "passed" | "failed" | "skipped"; detail: string } };
  /** When the old v1 service was deleted (retire): a rollback then leaves nothing serving its callers. */
  retiredAt?: string;
}

export interface SessionCutover {
  readonly steps: readonly number[];
  readonly stepWaitMs: number;
  readonly keepOldMs?: number;
}

export interface SessionReplay {
  /** `--requests`: a JSON Lines file or a folder of bodies, read again by each run (absolute). */
  readonly requests?: string;
  readonly limit?: number;
  readonly settings?: ReplaySettings;
  /** The last replay's report (its HTML page) and verdict, once written. */
  report?: { readonly file: string; readonly passed: boolean; readonly agreement: number; readonly replayed: number };
}

export interface SessionTarget {
  readonly kind: "azure" | "sandbox";
  readonly armEndpoint: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly workspace: string;
  readonly location: string;
  /**
   * Another workspace the endpoints and their assets are made in (`--target-workspace`); absent: the services'
   * own. The v1 services, their keys, code and models are read from the workspace above.
   */
  readonly into?: { readonly subscriptionId: string; readonly resourceGroup: string; readonly workspace: string; readonly location: string };
}

export interface SessionFile {
  schemaVersion: number;
  id: string;
  createdAt: string;
  updatedAt: string;
  status: "running" | "done" | "failed" | "cancelled";
  target: SessionTarget;
  services: SessionService[];
  /** When a rollback deleted what the session made in Azure (its record stays, to show what happened). */
  rolledBackAt?: string;
}

export function newStepRecords(): Record<StepName, StepRecord> {
  return Object.fromEntries(STEP_NAMES.map((s) => [s, { status: "pending", attempts: 0 }])) as Record<StepName, StepRecord>;
}

/**
 * A session file of an older schema, brought to this one in memory (it is written back at the next change):
 * schema 1 had no `model` step, so each service gets one, already passed when a later step ran (its model was
 * the single registered one then), else pending (the step reconciles before it acts); schema 2 had no `compare`
 * step, passed when traffic had moved, else pending.
 */
export function upgradeSession(session: SessionFile): SessionFile {
  if (session.schemaVersion >= SESSION_SCHEMA_VERSION) return session;
  for (const service of session.services) {
    const steps = service.steps as Partial<Record<StepName, StepRecord>>;
    steps.model ??= addedStep(steps.endpoint, "one registered model (recorded before the model step existed)");
    steps.compare ??= addedStep(steps.traffic, "nothing replayed (recorded before the compare step existed)");
    service.steps = Object.fromEntries(STEP_NAMES.map((n) => [n, steps[n]!])) as Record<StepName, StepRecord>;
  }
  session.schemaVersion = SESSION_SCHEMA_VERSION;
  return session;
}

/** A step a later schema added: passed (saying why) when the step after it had run, else pending. */
function addedStep(later: StepRecord | undefined, detail: string): StepRecord {
  return later?.status === "done" || later?.status === "skipped" ? { status: "skipped", attempts: 0, detail } : { status: "pending", attempts: 0 };
}

/** Where an unfinished session stopped: the first step of its services not done or skipped (undefined: none). */
export function stoppedAt(session: SessionFile): StepName | undefined {
  return session.services.flatMap((x) => STEP_NAMES.filter((n) => x.steps[n].status !== "done" && x.steps[n].status !== "skipped").slice(0, 1))[0];
}
