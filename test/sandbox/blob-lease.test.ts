import { describe, expect, it } from "vitest";
import { blobServiceWithAccountKey } from "../../src/azure/blob-storage.js";
import { ManualClock } from "../../src/sandbox/index.js";
import { leasePace, leaseState } from "../../src/sandbox/blob-lease.js";
import { connectionFor } from "../../src/cli/sandbox-connection.js";
import { useSandbox } from "../helpers/sandbox.js";

/** Lease Blob as @azure/storage-blob's BlobLeaseClient drives it, answered with Azure's status and error codes. */
const clock = new ManualClock();
const h = useSandbox({ clock, speed: 1 });
const ACCOUNT = "mlprodeastusstore";

async function freshBlob(name: string) {
  const key = h.sb.world.datastores.find((d) => d.accountName === ACCOUNT)!.accountKey;
  const blob = blobServiceWithAccountKey(h.conn, ACCOUNT, key).getContainerClient("azureml").getBlockBlobClient(name);
  await blob.upload("", 0);
  return blob;
}
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { statusCode?: number; code?: string }) => `${e.statusCode} ${e.code}`,
  );

describe("Lease Blob", () => {
  it("acquire, a second holder refused, writes only with the lease id, renew, change, release", async () => {
    const blob = await freshBlob("leases/one");
    const mine = blob.getBlobLeaseClient("11111111-1111-1111-1111-111111111111");
    const theirs = blob.getBlobLeaseClient("22222222-2222-2222-2222-222222222222");
    expect((await mine.acquireLease(60))._response.status).toBe(201);
    expect(await codeOf(theirs.acquireLease(60))).toBe("409 LeaseAlreadyPresent");
    expect(await codeOf(blob.getBlobLeaseClient().acquireLease(10))).toBe("400 InvalidHeaderValue");
    expect(await codeOf(blob.setMetadata({ holder: "me" }))).toBe("412 LeaseIdMissing");
    expect(await codeOf(blob.setMetadata({ holder: "them" }, { conditions: { leaseId: theirs.leaseId } }))).toBe("412 LeaseIdMismatchWithBlobOperation");
    await blob.setMetadata({ holder: "me" }, { conditions: { leaseId: mine.leaseId } });
    const props = await blob.getProperties();
    expect([props.leaseState, props.leaseStatus, props.leaseDuration, props.metadata]).toEqual(["leased", "locked", "fixed", { holder: "me" }]);
    expect(await codeOf(theirs.renewLease())).toBe("409 LeaseIdMismatchWithLeaseOperation");
    clock.advance(50_000);
    await mine.renewLease(); // renewed at 50 s: still held 50 s later
    clock.advance(50_000);
    expect(await codeOf(theirs.acquireLease(60))).toBe("409 LeaseAlreadyPresent");
    await mine.changeLease("33333333-3333-3333-3333-333333333333");
    expect(mine.leaseId).toBe("33333333-3333-3333-3333-333333333333");
    await mine.releaseLease();
    expect((await blob.getProperties()).leaseState).toBe("available");
    expect(await codeOf(mine.releaseLease())).toBe("409 LeaseNotPresentWithLeaseOperation");
    expect((await theirs.acquireLease(15))._response.status).toBe(201);
  });

  it("a holder that stops renewing loses the lease after its duration; a break lets another take it at once", async () => {
    const blob = await freshBlob("leases/two");
    const dead = blob.getBlobLeaseClient("44444444-4444-4444-4444-444444444444");
    const next = blob.getBlobLeaseClient("55555555-5555-5555-5555-555555555555");
    await dead.acquireLease(60);
    clock.advance(59_000);
    expect(await codeOf(next.acquireLease(60))).toBe("409 LeaseAlreadyPresent");
    clock.advance(2_000);
    expect((await blob.getProperties()).leaseState).toBe("expired");
    expect((await next.acquireLease(60))._response.status).toBe(201);
    expect(await codeOf(dead.renewLease())).toBe("409 LeaseIdMismatchWithLeaseOperation"); // the dead holder cannot come back
    const broken = await blob.getBlobLeaseClient().breakLease(0);
    expect(broken.leaseTime).toBe(0);
    expect(await codeOf(next.renewLease())).toBe("409 LeaseIsBrokenAndCannotBeRenewed");
    expect((await dead.acquireLease(60))._response.status).toBe(201);
    await blob.delete({ conditions: { leaseId: dead.leaseId } });
  });
});

describe("a sped-up sandbox's leases", () => {
  const lease = { id: "66666666-6666-6666-6666-666666666666", acquiredMs: 0, durationS: 60 };
  it("count their seconds as fast as the sandbox runs, but at most 20 times Azure's pace", () => {
    expect([leaseState(lease, 5_900, leasePace(10)), leaseState(lease, 6_100, leasePace(10))]).toEqual(["leased", "expired"]);
    // At speed 2000 a deployment takes a third of a second, and a 60 s lease still lasts 3 s.
    expect([leaseState(lease, 2_900, leasePace(2000)), leaseState(lease, 3_100, leasePace(2000))]).toEqual(["leased", "expired"]);
  });

  it("are renewed by the sandbox's clients three times in a lease, at the same pace", () => {
    const renewMs = (speed: number) => connectionFor({ armEndpoint: "https://127.0.0.1:1", caPem: "", token: "t", speed }).leaseRenewMs!;
    expect([renewMs(1), renewMs(10), renewMs(2000)]).toEqual([20_000, 2_000, 1_000]);
  });
});
