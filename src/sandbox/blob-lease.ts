import { randomUUID } from "node:crypto";
import type { SandboxRequest } from "./http.js";
import type { BlobLease, BlobRecord } from "./world.js";

/** What Lease Blob and the guarded writes answer when they refuse: Azure's status and error code. */
export interface LeaseRefusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export type LeaseState = "available" | "leased" | "expired" | "breaking" | "broken";

/**
 * How much faster than Azure a sandbox running at `speed` counts a lease's seconds: as fast as everything else,
 * but never over 20 times (a 60 s lease lasts at least 3 s), so a test machine's pause of a few hundred
 * milliseconds does not cost a driver its lease while deployments still take a fraction of a second.
 */
export const leasePace = (speed: number): number => Math.min(speed, 20);

/** Where a blob's lease stands at `now` (Azure's x-ms-lease-state); a sped-up sandbox shortens its seconds too. */
export function leaseState(lease: BlobLease | undefined, now: number, speed = 1): LeaseState {
  if (!lease) return "available";
  if (lease.brokenAtMs !== undefined) return now < lease.brokenAtMs ? "breaking" : "broken";
  return lease.durationS < 0 || now < endOf(lease, speed) ? "leased" : "expired";
}

const endOf = (lease: BlobLease, speed: number) => lease.acquiredMs + (lease.durationS * 1000) / speed;

/** The lease headers Get Blob Properties carries. */
export function leaseHeaders(lease: BlobLease | undefined, now: number, speed = 1): Record<string, string> {
  const state = leaseState(lease, now, speed);
  const locked = state === "leased" || state === "breaking";
  return {
    "x-ms-lease-status": locked ? "locked" : "unlocked",
    "x-ms-lease-state": state,
    ...(state === "leased" ? { "x-ms-lease-duration": lease!.durationS < 0 ? "infinite" : "fixed" } : {}),
  };
}

const refuse = (status: number, code: string, message: string): LeaseRefusal => ({ status, code, message });

/**
 * Whether a write (Put Blob, Set Blob Metadata, Delete Blob) may go on: a blob whose lease is active (leased or
 * breaking) takes writes only with its lease id, as Azure's 412s say.
 */
export function writeRefusal(req: SandboxRequest, blob: BlobRecord | undefined, now: number, speed = 1): LeaseRefusal | undefined {
  const state = leaseState(blob?.lease, now, speed);
  const given = headerOf(req, "x-ms-lease-id");
  if (state !== "leased" && state !== "breaking") {
    return given ? refuse(412, "LeaseNotPresentWithBlobOperation", "There is currently no lease on the blob.") : undefined;
  }
  if (!given) return refuse(412, "LeaseIdMissing", "There is currently a lease on the blob and no lease ID was specified in the request.");
  if (given !== blob!.lease!.id) return refuse(412, "LeaseIdMismatchWithBlobOperation", "The lease ID specified did not match the lease ID for the blob.");
  return undefined;
}

/**
 * Lease Blob (`PUT ?comp=lease`, `x-ms-lease-action`): acquire (15-60 s or -1), renew, change, release, break,
 * with Azure's status codes and error codes. The clock is the sandbox's, so a sped-up sandbox expires leases
 * as fast as it runs everything else.
 */
export function leaseBlob(req: SandboxRequest, blob: BlobRecord, now: number, speed = 1): { status: number; headers: Record<string, string> } | LeaseRefusal {
  const action = headerOf(req, "x-ms-lease-action");
  const state = leaseState(blob.lease, now, speed);
  const id = headerOf(req, "x-ms-lease-id");
  const proposed = headerOf(req, "x-ms-proposed-lease-id");
  switch (action) {
    case "acquire": {
      const durationS = Number(headerOf(req, "x-ms-lease-duration") ?? "NaN");
      if (!(durationS === -1 || (Number.isInteger(durationS) && durationS >= 15 && durationS <= 60))) {
        return refuse(400, "InvalidHeaderValue", "The value for one of the HTTP headers is not in the correct format (x-ms-lease-duration: -1, or 15 to 60).");
      }
      if (state === "breaking")
        return refuse(409, "LeaseIsBreakingAndCannotBeAcquired", "There is already a lease present on the blob and it is being broken.");
      if (state === "leased" && proposed !== blob.lease!.id) return refuse(409, "LeaseAlreadyPresent", "There is already a lease present.");
      blob.lease = { id: proposed ?? randomUUID(), durationS, acquiredMs: now };
      return { status: 201, headers: { "x-ms-lease-id": blob.lease.id } };
    }
    case "renew":
    case "release":
    case "change": {
      if (!id) return refuse(400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified (x-ms-lease-id).");
      if (state === "available") return refuse(409, "LeaseNotPresentWithLeaseOperation", "There is currently no lease on the blob.");
      if (id !== blob.lease!.id) return refuse(409, "LeaseIdMismatchWithLeaseOperation", "The lease ID specified did not match the lease ID for the blob.");
      if (action === "renew") {
        if (state === "breaking" || state === "broken")
          return refuse(409, "LeaseIsBrokenAndCannotBeRenewed", "The lease ID matched, but the lease has been broken explicitly and cannot be renewed.");
        blob.lease = { ...blob.lease!, acquiredMs: now };
        return { status: 200, headers: { "x-ms-lease-id": id } };
      }
      if (action === "release") {
        blob.lease = undefined;
        return { status: 200, headers: {} };
      }
      if (!proposed) return refuse(400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified (x-ms-proposed-lease-id).");
      if (state !== "leased") return refuse(409, "LeaseNotPresentWithLeaseOperation", "There is currently no lease on the blob.");
      blob.lease = { ...blob.lease!, id: proposed };
      return { status: 200, headers: { "x-ms-lease-id": proposed } };
    }
    case "break": {
      if (state === "available") return refuse(409, "LeaseNotPresentWithLeaseOperation", "There is currently no lease on the blob.");
      const period = headerOf(req, "x-ms-lease-break-period");
      const periodS = period === undefined ? undefined : Number(period);
      if (periodS !== undefined && !(Number.isInteger(periodS) && periodS >= 0 && periodS <= 60)) {
        return refuse(400, "InvalidHeaderValue", "The value for one of the HTTP headers is not in the correct format (x-ms-lease-break-period: 0 to 60).");
      }
      if (state === "leased") {
        // Without a period a fixed lease runs to its end; an infinite one breaks at once.
        const untilEnd = blob.lease!.durationS < 0 ? 0 : endOf(blob.lease!, speed) - now;
        const breakMs = periodS === undefined ? untilEnd : Math.min((periodS * 1000) / speed, Math.max(0, untilEnd));
        blob.lease = { ...blob.lease!, brokenAtMs: now + breakMs };
      } else if (state === "expired") {
        blob.lease = { ...blob.lease!, brokenAtMs: now };
      }
      return { status: 202, headers: { "x-ms-lease-time": String(Math.max(0, Math.ceil(((blob.lease!.brokenAtMs! - now) * speed) / 1000))) } };
    }
    default:
      return refuse(400, "InvalidHeaderValue", "The value for one of the HTTP headers is not in the correct format (x-ms-lease-action).");
  }
}

function headerOf(req: SandboxRequest, name: string): string | undefined {
  const v = req.headers[name];
  return v === undefined ? undefined : String(v);
}
