import type { MigrationPlan } from "../domain/plan.js";
import type { V1Service } from "../domain/v1-service.js";
import type { OpenSession } from "../session/journal.js";
import type { SessionService, StepError, StepName } from "../session/session-file.js";
import type { EmitEvent } from "./events.js";
import type { DriverLease, MigrationPort, Rehearser, WorkspaceTarget } from "./port.js";
import type { ReadsAhead } from "./read-ahead.js";
import type { ReadRequests } from "./replay-inputs.js";

/** What the steps of one service share while they run. */
export interface ServiceRun {
  readonly port: MigrationPort;
  /** The v1 service's workspace: the service, its keys, code snapshot, models and collected inputs are read there. */
  readonly ws: WorkspaceTarget;
  /** Where the endpoint, its deployment and their assets are made: `ws`, or another workspace (--target-workspace). */
  readonly at: WorkspaceTarget;
  readonly session: OpenSession;
  readonly entry: SessionService;
  readonly emit: EmitEvent;
  readonly signal?: AbortSignal;
  /** Secrets read during the run (v1 keys): registered so the journal refuses to write them. */
  readonly secrets: Set<string>;
  /** Set by preflight: the service as Azure has it now, and its parsed form. */
  doc?: Record<string, unknown>;
  service?: V1Service;
  /** Runs the service on this machine when its entry asks for a rehearsal (`migrate --rehearse`). */
  readonly rehearser?: Rehearser;
  /** Reads the requests file or folder the compare step replays (`--requests`). */
  readonly readRequests?: ReadRequests;
  /** The smoke test's sample request when the user gave one (else the service's swagger's, else a default). */
  readonly sampleRequest?: unknown;
  /** Reads made for a later step of this run (see read-ahead.ts). */
  ahead?: Map<keyof ReadsAhead, Promise<unknown>>;
  /** Set by the endpoint step when it created the endpoint in this run: a new endpoint has no deployments yet. */
  endpointCreated?: boolean;
  /** Set when this run sent the deployment's PUT: a step tried again reads the deployment before it writes. */
  deploymentRequested?: boolean;
  /** Work a finished step left running (its last log lines); the service ends when it has. */
  trailing?: Promise<unknown>[];
  /** What the running step failed with in an earlier run (the journal's record, cleared as it starts again). */
  earlierError?: StepError;
  /** The lease that makes this process the service's one driver (taken by the preflight; see driver-lease.ts). */
  lease?: DriverLease;
  /** Why the lease was lost, when it was: the next step refuses to run. */
  leaseLost?: string;
}

export function planOf(run: ServiceRun): MigrationPlan {
  return run.entry.plan;
}

/** Says how a step is going; ticks where nothing changed are not repeated. */
export function progress(run: ServiceRun, step: StepName, message: string, lro?: { status: string; percentComplete?: number; changed?: boolean }): void {
  if (lro?.changed === false) return;
  // `changed` is the poller's business; the event carries the operation's state only.
  const state = lro ? { status: lro.status, ...(lro.percentComplete !== undefined ? { percentComplete: lro.percentComplete } : {}) } : undefined;
  run.emit({ type: "step-progress", service: run.entry.name, step, message, ...(state ? { lro: state } : {}) });
}

/** The tag naming the session that created a resource (a rollback deletes only what carries its own id). */
export const SESSION_TAG = "aci-migrate-session";

/**
 * The tags of an endpoint this run updates: its own as they are, with this migration's, but still naming the
 * session that created it (a rollback deletes only what carries its own id: a later session's traffic change
 * does not make the endpoint its own).
 */
export function updatedEndpointTags(run: ServiceRun, existing: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const tags = { ...(existing ?? {}), ...migrationTags(run) };
  return existing?.[SESSION_TAG] ? { ...tags, [SESSION_TAG]: existing[SESSION_TAG] } : tags;
}

/** The tags that mark a resource as this service's migration (how a resumed or repeated run finds its work). */
export function migrationTags(run: ServiceRun): Record<string, string> {
  return { ...planOf(run).tags, [SESSION_TAG]: run.session.data.id };
}
