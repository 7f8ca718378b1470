import type { BlobLeaseClient, BlockBlobClient } from "@azure/storage-blob";
import type { DriverLease, LeaseHolder } from "../migration/port.js";
import { LEASE_SECONDS } from "../migration/driver-lease.js";
import { retryThrottled } from "./throttled.js";

/**
 * Takes the blob lease that makes this process the one driver of a service (Azure Storage's own lease, so it
 * holds across machines with no coordinator of ours): the blob is made if missing, the lease acquired for 60 s
 * and renewed every `renewMs` while held, and its metadata names the holder (host, user, session; no secret).
 * Another holder's lease answers with that holder; a renewal that fails (the lease was lost) calls `onLost`.
 */
export async function takeServiceLease(
  blob: BlockBlobClient,
  holder: LeaseHolder,
  o: { renewMs: number; floorMs: number; onLost: (why: string) => void },
): Promise<DriverLease | { heldBy?: LeaseHolder }> {
  // Storage's own policy does not retry a 429: each call is tried again after its Retry-After, as the code upload's are.
  const busy = <T>(call: () => Promise<T>) => retryThrottled(call, o.floorMs);
  let taken = await acquire(blob, busy);
  if (taken instanceof HeldBy && sameDriver(taken.holder, holder)) {
    // Its own session on this machine, which died (the session's lock file keeps a second live one out): broken and taken again.
    await busy(() => blob.getBlobLeaseClient().breakLease(0));
    taken = await acquire(blob, busy);
  }
  return taken instanceof HeldBy ? { heldBy: taken.holder } : held(blob, taken, holder, { ...o, busy });
}

/** The answer of an acquire another holder won. */
class HeldBy {
  constructor(readonly holder: LeaseHolder | undefined) {}
}

const sameDriver = (a: LeaseHolder | undefined, b: LeaseHolder) => a !== undefined && a.sessionId === b.sessionId && a.host === b.host;

type Busy = <T>(call: () => Promise<T>) => Promise<T>;

async function acquire(blob: BlockBlobClient, busy: Busy): Promise<BlobLeaseClient | HeldBy> {
  if (!(await busy(() => blob.exists()))) {
    // Two machines may both make it: the second write (no lease yet) replaces an empty blob with an empty blob.
    await busy(() => blob.upload("", 0)).catch((e: { statusCode?: number }) => {
      if (e.statusCode !== 412 && e.statusCode !== 409) throw e; // someone leased it meanwhile: the acquire says who
    });
  }
  const lease = blob.getBlobLeaseClient();
  try {
    await busy(() => lease.acquireLease(LEASE_SECONDS));
    return lease;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== "LeaseAlreadyPresent" && code !== "LeaseIsBreakingAndCannotBeAcquired") throw e;
    const meta = (await busy(() => blob.getProperties()).catch(() => undefined))?.metadata ?? {};
    return new HeldBy(meta.session ? { host: meta.host ?? "", user: meta.user ?? "", sessionId: meta.session } : undefined);
  }
}

/** The lease held: its holder written on the blob, renewed until released. */
async function held(
  blob: BlockBlobClient,
  lease: BlobLeaseClient,
  holder: LeaseHolder,
  o: { renewMs: number; onLost: (why: string) => void; busy: Busy },
): Promise<DriverLease> {
  await o.busy(() => blob.setMetadata({ host: holder.host, user: holder.user, session: holder.sessionId }, { conditions: { leaseId: lease.leaseId } }));
  let released = false;
  const timer = setInterval(() => {
    lease.renewLease().catch((e: Error & { statusCode?: number }) => {
      // A busy or unreachable storage (429, 5xx, a dropped connection) is tried again at the next tick: an expired
      // lease nobody took since still renews. Only Storage saying the lease is another's (409) loses it.
      if (released || e.statusCode !== 409) return;
      clearInterval(timer);
      o.onLost(e.message.split("\n")[0]!);
    });
  }, o.renewMs);
  timer.unref();
  return {
    release: async () => {
      released = true;
      clearInterval(timer);
      await lease.releaseLease().catch(() => undefined); // lost or expired already: nothing to let go of
    },
  };
}
