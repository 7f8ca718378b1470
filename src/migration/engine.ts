import { UserFixableError } from "../domain/errors.js";
import type { OpenSession } from "../session/journal.js";
import { STEP_NAMES, type SessionService, type StepName } from "../session/session-file.js";
import { isTransient, toStepError } from "./errors.js";
import type { EmitEvent } from "./events.js";
import type { MigrationPort, Rehearser, WorkspaceTarget } from "./port.js";
import type { ReadRequests } from "./replay-inputs.js";
import { writeCallersKit, type CallersKitOptions } from "./callers-kit.js";
import type { ServiceRun } from "./service-run.js";
import { STEPS } from "./steps/index.js";
import { requireDriverLease } from "./driver-lease.js";

/** How often a step is tried when Azure answers with a transient failure, and the first back-off. */
export const STEP_ATTEMPTS = 6;
export const FIRST_BACKOFF_MS = 500;

export interface RunOptions {
  readonly port: MigrationPort;
  readonly session: OpenSession;
  readonly emit: EmitEvent;
  readonly secrets: Set<string>;
  readonly signal?: AbortSignal;
  /** Services migrated at the same time (default 4). */
  readonly concurrency?: number;
  readonly sampleRequest?: unknown;
  /** Runs a service on this machine, for services whose session entry asks for a rehearsal. */
  readonly rehearser?: Rehearser;
  /** Writes each migrated service's kit for its callers, with commands as this front end runs the tool. */
  readonly callers?: CallersKitOptions;
  /** Reads a `--requests` file or folder for the compare step (the front ends read files; the engine does not). */
  readonly readRequests?: ReadRequests;
  readonly resumed?: boolean;
  /** Scales the back-off between attempts (tests shrink it). */
  readonly backoffMs?: number;
}

/**
 * Runs every service of the session through the seven steps, each reconciling with Azure first, journalling as it
 * goes; the event stream is its only output. Resolves with the session's final status.
 */
export async function runMigration(o: RunOptions): Promise<"done" | "failed" | "cancelled"> {
  const { session, emit } = o;
  const ws: WorkspaceTarget = session.data.target;
  const at: WorkspaceTarget = session.data.target.into ?? ws;
  emit({ type: "session-started", sessionId: session.data.id, services: session.data.services.map((s) => s.name), resumed: Boolean(o.resumed) });
  // The quota is read beside the services' preflights, which only read; nothing is created before it is known.
  const quota = checkCombinedQuota(o, at);
  quota.catch(() => undefined); // (its failure is reported where it is awaited)

  const queue = [...session.data.services];
  const workers = Array.from({ length: Math.max(1, Math.min(o.concurrency ?? 4, queue.length)) }, async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) await migrateService(o, { ws, at }, entry, quota);
  });
  // Every worker ends before the run does (none writes the journal after its caller let go of it).
  const ended = await Promise.allSettled([quota, ...workers]);
  const failure = ended.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) throw failure.reason;

  const outcomes = session.data.services.map((s) => s.outcome?.status);
  const status = outcomes.includes("cancelled") || o.signal?.aborted ? "cancelled" : outcomes.every((s) => s === "migrated") ? "done" : "failed";
  session.update((d) => (d.status = status === "done" ? "done" : status));
  emit({ type: "session-finished", sessionId: session.data.id, status });
  return status;
}

/**
 * The steps in the order they depend on each other. The lanes of one stage run side by side, each in its own
 * order: the endpoint needs neither the code nor the model, so Azure provisions it while they upload and
 * register. Every step still reconciles with Azure first and is journalled on its own, so a resume picks up
 * whichever lane stopped. A stage starts only when every lane of the one before it is done.
 */
export const STAGES: readonly (readonly (readonly StepName[])[])[] = [
  [["preflight"]],
  [["code", "model"], ["endpoint"]],
  [["deployment"]],
  [["smoke-test"]],
  [["compare"]],
  [["traffic"]],
];

async function migrateService(o: RunOptions, where: { ws: WorkspaceTarget; at: WorkspaceTarget }, entry: SessionService, quota: Promise<void>): Promise<void> {
  const run: ServiceRun = {
    port: o.port,
    ...where,
    session: o.session,
    entry,
    emit: o.emit,
    signal: o.signal,
    secrets: o.secrets,
    sampleRequest: o.sampleRequest,
    rehearser: o.rehearser,
    readRequests: o.readRequests,
  };
  try {
    for (const stage of STAGES) {
      if (stage !== STAGES[0]) await quota; // the first stage (preflight) only reads
      const halt = { failed: false };
      const lanes = await Promise.all(stage.map((lane) => runLane(o, run, lane, halt)));
      if (!lanes.every(Boolean)) break;
    }
    await Promise.allSettled(run.trailing ?? []);
  } finally {
    await run.lease?.release(); // another machine may take the service at once
  }
  if (!entry.outcome && STEP_NAMES.every((s) => entry.steps[s].status === "done" || entry.steps[s].status === "skipped")) {
    o.session.note(() => (entry.outcome = { status: "migrated" }));
  }
  const kit = entry.outcome?.status === "migrated" && o.callers ? await writeCallersKit(run, o.callers) : undefined;
  o.emit({
    type: "service-finished",
    service: entry.name,
    status: entry.outcome?.status ?? "failed",
    endpointName: entry.plan.endpointName,
    deploymentName: entry.plan.deploymentName,
    scoringUri: entry.resources.scoringUri,
    smokeTest: entry.outcome?.smokeTest,
    ...(kit ? { callersKit: { dir: kit.dir, shell: kit.shell } } : {}),
  });
}

/** Runs one lane's steps in order; false when one failed, the run was stopped, or another lane failed meanwhile. */
async function runLane(o: RunOptions, run: ServiceRun, lane: readonly StepName[], halt: { failed: boolean }): Promise<boolean> {
  const entry = run.entry;
  for (const step of lane) {
    if (o.signal?.aborted) {
      o.session.update(() => (entry.outcome = { status: "cancelled" }));
      return false;
    }
    if (halt.failed) return false; // the other lane of this stage failed: nothing more starts
    const record = entry.steps[step];
    run.earlierError = record.error; // said again when the step finds what that failure left (deployment.ts)
    o.session.note(() => Object.assign(record, { status: "running", startedAt: new Date().toISOString(), attempts: record.attempts + 1, error: undefined }));
    o.emit({ type: "step-started", service: entry.name, step });
    try {
      if (step !== "preflight") requireDriverLease(run);
      const result = await withRetries(o, entry.name, step, () => STEPS[step](run));
      o.session.note(() =>
        Object.assign(record, { status: result.outcome === "skipped" ? "skipped" : "done", finishedAt: new Date().toISOString(), detail: result.detail }),
      );
      o.emit({ type: "step-finished", service: entry.name, step, outcome: result.outcome, detail: result.detail });
    } catch (e) {
      if (o.signal?.aborted) {
        o.session.note(() => Object.assign(record, { status: "pending" }));
        o.session.note(() => (entry.outcome = { status: "cancelled" }));
        return false;
      }
      const error = toStepError(e);
      o.session.note(() => Object.assign(record, { status: "failed", finishedAt: new Date().toISOString(), error }));
      o.session.note(() => (entry.outcome = { status: step === "preflight" ? "blocked" : "failed", smokeTest: entry.outcome?.smokeTest }));
      o.emit({ type: "step-failed", service: entry.name, step, error });
      halt.failed = true;
      return false;
    }
  }
  return true;
}

/** Before anything starts: the services together must fit the region's free quota, family by family. */
async function checkCombinedQuota(o: RunOptions, ws: WorkspaceTarget): Promise<void> {
  const need = new Map<string, number>();
  for (const s of o.session.data.services) {
    if (s.outcome?.status === "migrated" || !s.plan.quota || s.steps.deployment.status === "done" || s.steps.deployment.status === "skipped") continue;
    need.set(s.plan.quota.family, (need.get(s.plan.quota.family) ?? 0) + s.plan.quota.cores);
  }
  for (const [family, cores] of need) {
    // No step of its own, so tried again here as steps are: a busy Azure must not fail every service.
    const free = await whileTransient(o, () => o.port.freeQuota(ws, family));
    if (free !== undefined && free < cores) {
      const skus = o.session.data.services
        .filter((s) => s.plan.quota?.family === family)
        .map((s) => `${s.name} (${s.plan.sku.name}, ${s.plan.quota?.cores} vCPUs)`);
      throw new UserFixableError(`Not enough ${family} quota in ${ws.location}: the migration needs ${cores} vCPUs, ${free} are free.`, {
        why: `Managed deployments reserve ceil(1.2 × instances) × vCPUs; this run needs it for ${skus.join(", ")}.`,
        nextStep: `Request more quota for ${family} in ${ws.location} (Azure portal → Quotas), choose a SKU of another family with --sku, or migrate fewer services at once.`,
        kind: "state",
      });
    }
  }
}

/** Runs a step again (from its reconciliation) while Azure fails transiently, with exponential back-off. */
function withRetries<T>(o: RunOptions, service: string, step: (typeof STEP_NAMES)[number], attempt: () => Promise<T>): Promise<T> {
  return whileTransient(o, attempt, (e, next, wait) =>
    o.emit({
      type: "step-progress",
      service,
      step,
      message: `Azure failed transiently (${transientCause(e)}); trying again in ${wait} ms (attempt ${next} of ${STEP_ATTEMPTS})`,
    }),
  );
}

/** Tries `attempt` up to STEP_ATTEMPTS times while Azure fails transiently, backing off exponentially. */
async function whileTransient<T>(
  o: RunOptions,
  attempt: () => Promise<T>,
  onRetry: (e: unknown, next: number, waitMs: number) => void = () => undefined,
): Promise<T> {
  const base = o.backoffMs ?? FIRST_BACKOFF_MS;
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      if (i >= STEP_ATTEMPTS || !isTransient(e) || o.signal?.aborted) throw e;
      const wait = base * 2 ** (i - 1);
      onRetry(e, i + 1, wait);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** A transient failure in a few words: Azure's message, else its status and code (some 503s have no body). */
export function transientCause(e: unknown): string {
  const message = ((e as Error)?.message ?? "").split("\n")[0]!.trim();
  if (message) return message;
  const { status, code } = e as { status?: number; code?: string };
  return [status && `HTTP ${status}`, code].filter(Boolean).join(" ") || "no details given";
}
