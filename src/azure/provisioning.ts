import { OperationFailedError } from "../migration/errors.js";
import type { WaitOptions } from "../migration/port.js";

/** What Azure answered to the PUT that started an operation: the resource's state then, and where the operation's status is. */
export interface Started {
  state?: string;
  statusUrl?: string;
  retryAfterMs?: number;
  /** The PUT's x-ms-request-id, for a failure of the operation it started. */
  requestId?: string;
}

/** The part of core-client's raw response read here. */
interface RawResponse {
  readonly status: number;
  readonly parsedBody?: unknown;
  readonly headers: { get(name: string): string | undefined };
}

/**
 * Options for an SDK `begin…` call that keep Azure's first answer (the provisioning state in the body of the 201
 * or 200, the `Azure-AsyncOperation` URL, any `Retry-After`) and then let the call go: the SDK's poller would ask
 * the operation's status at once, while untilProvisioned reads the resource instead. `settle` turns the call's
 * end into the first answer (the abort that let it go is not a failure; the PUT's own failure still is).
 */
export function keepFirstAnswer(signal?: AbortSignal): {
  options: { abortSignal: AbortSignal; onResponse: (raw: RawResponse) => void };
  settle(call: Promise<unknown>): Promise<Started>;
} {
  const started: Started = {};
  let answered = false;
  const letGo = new AbortController();
  return {
    options: {
      abortSignal: signal ? AbortSignal.any([signal, letGo.signal]) : letGo.signal,
      onResponse: (raw) => {
        if (answered || raw.status >= 300) return; // the first answer only; a refusal is thrown by the call
        answered = true;
        const body = raw.parsedBody as { properties?: { provisioningState?: string } } | undefined;
        started.state = body?.properties?.provisioningState;
        started.statusUrl = raw.headers.get("azure-asyncoperation") ?? undefined;
        started.retryAfterMs = retryAfterMs(raw.headers);
        started.requestId = raw.headers.get("x-ms-request-id") ?? undefined;
        letGo.abort();
      },
    },
    settle: async (call) => {
      try {
        await call;
      } catch (e) {
        if (!answered || signal?.aborted) throw e;
      }
      return started;
    },
  };
}

/** The wait an answer asks for: `retry-after-ms` (or `x-ms-retry-after-ms`) first, as azure-core reads it, then `Retry-After`. */
function retryAfterMs(headers: RawResponse["headers"]): number | undefined {
  const ms = Number(headers.get("retry-after-ms") ?? headers.get("x-ms-retry-after-ms") ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const seconds = Number(headers.get("retry-after") ?? Number.NaN);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

const RUNNING = new Set(["Creating", "Updating", "Deleting", "Provisioning", "Accepted"]);

export interface ProvisioningWait<T> {
  /** The resource as it is now (its GET). */
  read(): Promise<T | undefined>;
  /** The operation's status document (`GET Azure-AsyncOperation`): its status and, when it failed, Azure's error. */
  operationStatus(url: string): Promise<{ status?: string; error?: { code?: string; message?: string } }>;
  readonly pollMs: number;
  /** Whether a tick without a change may be reported now (the log polls that ride on it share a budget). */
  mayReport(sinceLastMs: number): boolean;
  readonly operation: string;
  readonly what: string;
}

/**
 * Waits for a create or update (one a PUT of this process started, or one an earlier process left running) by
 * reading the resource itself, every poll interval (longer when Azure's Retry-After asks): one read a poll, whose last answer is the result, where the SDK's poller reads the
 * operation's status and then the resource once more. The resource's state is ARM's own answer for a PUT that
 * answered 201 with a provisioning state: once it has been Creating or Updating, Succeeded ends the wait. A
 * state that was never seen running is checked against the operation's status first, and a failure is
 * reported in the operation's own words.
 */
export async function untilProvisioned<T extends { provisioningState: string }>(w: ProvisioningWait<T>, started: Started, wait: WaitOptions): Promise<T> {
  let sawRunning = started.state !== undefined && RUNNING.has(started.state);
  let last: string | undefined; // the first state read is reported as a change: the screen shows it
  let reportedAt = 0;
  let delay = started.retryAfterMs ?? 0; // the first read comes at once unless Azure asked for a pause
  for (;;) {
    if (delay > 0) await sleep(delay, wait.signal);
    const readAt = Date.now();
    const r = await w.read();
    delay = w.pollMs - (Date.now() - readAt); // a read every poll interval, counted from the last one's start
    if (!r) throw new OperationFailedError(`${w.what} disappeared while it was provisioning.`, "NotFound", w.operation, started.requestId);
    const state = r.provisioningState;
    const changed = state !== last;
    if (changed || w.mayReport(Date.now() - reportedAt)) {
      wait.onProgress?.({ status: state, changed });
      reportedAt = Date.now();
    }
    last = state;
    if (RUNNING.has(state)) {
      sawRunning = true;
      continue;
    }
    const status = !sawRunning || state !== "Succeeded" ? await operationStatusOf(w, started) : undefined;
    if (status?.status && !["Succeeded", "Failed", "Canceled"].includes(status.status)) continue; // not ended yet
    if (state === "Succeeded" && (!status || status.status === "Succeeded")) return r;
    const error = status?.error;
    throw new OperationFailedError(error?.message ?? `${w.what} is ${state}.`, error?.code, w.operation, started.requestId);
  }
}

async function operationStatusOf<T>(w: ProvisioningWait<T>, started: Started) {
  return started.statusUrl ? w.operationStatus(started.statusUrl) : undefined;
}

/** Waits, or rejects when `signal` aborts; the abort listener goes when the wait ends. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => (clearTimeout(t), reject(signal!.reason));
    const t = setTimeout(() => (signal?.removeEventListener("abort", onAbort), resolve()), ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
