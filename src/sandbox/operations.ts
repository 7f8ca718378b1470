import { createHash } from "node:crypto";
import { iso } from "./clock.js";
import type { SandboxContext } from "./context.js";
import { stableGuid } from "./ids.js";
import type { OperationKind, OperationRecord, SandboxWorld } from "./world.js";

/** Seconds each kind of operation takes at speed 1, from the recorded traffic (endpoint 90 s, deployment ~10 min, traffic 20 s). */
const BASE_SECONDS: Record<OperationKind, number> = {
  "endpoint-create": 90,
  "endpoint-update": 20,
  "endpoint-delete": 40,
  "deployment-create": 580,
  "deployment-update": 150,
  "deployment-delete": 60,
};

export interface OperationStatus {
  readonly status: "Updating" | "Succeeded" | "Failed";
  readonly percentComplete: number;
  readonly endTimeMs?: number;
}

export function startOperation(
  ctx: SandboxContext,
  o: {
    kind: OperationKind;
    subscriptionId: string;
    location: string;
    target: string;
    outcome?: "Succeeded" | "Failed";
    error?: { code: string; message: string };
    failAtFraction?: number;
  },
): OperationRecord {
  const now = ctx.clock.now();
  // ±10% per resource, deterministic, so two deployments don't finish in lockstep.
  const jitter = 0.9 + (createHash("sha1").update(o.target).digest().readUInt8(0) / 255) * 0.2;
  const full = (BASE_SECONDS[o.kind] * 1000 * jitter) / ctx.speed;
  const op: OperationRecord = {
    id: `${o.kind.startsWith("endpoint") ? "oe" : "od"}:${stableGuid(`${o.target}:${now}:${ctx.store.world.operations.length}`)}`,
    kind: o.kind,
    subscriptionId: o.subscriptionId,
    location: o.location,
    target: o.target,
    startedAtMs: now,
    durationMs: Math.round(o.outcome === "Failed" ? full * (o.failAtFraction ?? 0.6) : full),
    outcome: o.outcome ?? "Succeeded",
    error: o.error,
  };
  ctx.store.world.operations.push(op);
  return op;
}

export function operationStatus(op: OperationRecord, nowMs: number): OperationStatus {
  const elapsed = nowMs - op.startedAtMs;
  if (elapsed >= op.durationMs) return { status: op.outcome, percentComplete: 100, endTimeMs: op.startedAtMs + op.durationMs };
  return { status: "Updating", percentComplete: Math.floor((elapsed / Math.max(1, op.durationMs)) * 100) };
}

export function findOperation(world: SandboxWorld, id: string | undefined): OperationRecord | undefined {
  return id ? world.operations.find((o) => o.id.toLowerCase() === id.toLowerCase()) : undefined;
}

/** ARM's provisioning state of a resource, read off its latest operation. */
export function provisioningState(op: OperationRecord | undefined, nowMs: number): string {
  if (!op) return "Succeeded";
  const s = operationStatus(op, nowMs);
  if (s.status !== "Updating") return s.status;
  return op.kind.endsWith("create") ? "Creating" : op.kind.endsWith("delete") ? "Deleting" : "Updating";
}

/** The body of `GET …/mfeOperationsStatus/{id}` (as recorded: id, name, startTime, endTime, percentComplete, status, error). */
export function operationStatusBody(op: OperationRecord, nowMs: number): Record<string, unknown> {
  const s = operationStatus(op, nowMs);
  return {
    id: `/subscriptions/${op.subscriptionId}/providers/Microsoft.MachineLearningServices/locations/${op.location}/mfeOperationsStatus/${op.id}`,
    name: op.id,
    startTime: iso(op.startedAtMs),
    ...(s.endTimeMs !== undefined ? { endTime: iso(s.endTimeMs) } : {}),
    percentComplete: s.percentComplete,
    status: s.status,
    ...(s.status === "Failed" && op.error ? { error: op.error } : {}),
  };
}

/**
 * Applies what finished operations leave behind: a finished delete removes its resource. Called before each
 * request, so the world is always as the clock says, even after a restart.
 */
export function settleOperations(world: SandboxWorld, nowMs: number): boolean {
  let changed = false;
  for (const op of world.operations) {
    if (op.applied || operationStatus(op, nowMs).status === "Updating") continue;
    op.applied = true;
    changed = true;
    if (op.outcome !== "Succeeded") continue;
    if (op.kind === "endpoint-delete") {
      world.deployments = world.deployments.filter((d) => `${d.workspace}/onlineendpoints/${d.endpoint.toLowerCase()}` !== op.target);
      world.endpoints = world.endpoints.filter((e) => `${e.workspace}/onlineendpoints/${e.name.toLowerCase()}` !== op.target);
    } else if (op.kind === "deployment-delete") {
      world.deployments = world.deployments.filter(
        (d) => `${d.workspace}/onlineendpoints/${d.endpoint.toLowerCase()}/deployments/${d.name.toLowerCase()}` !== op.target,
      );
    }
  }
  return changed;
}
