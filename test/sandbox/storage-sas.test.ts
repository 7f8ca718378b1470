import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  AnonymousCredential,
  BlobSASPermissions,
  ContainerClient,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
  generateAccountSASQueryParameters,
  generateBlobSASQueryParameters,
  newPipeline,
  type StoragePipelineOptions,
} from "@azure/storage-blob";
import { describe, expect, it } from "vitest";
import { blobFromSignedUrl, blobServiceWithAccountKey } from "../../src/azure/blob-storage.js";
import { useSandbox } from "../helpers/sandbox.js";

/**
 * Shared access signatures made by Microsoft's own client (@azure/storage-blob's generators, as `az storage … generate-sas`
 * and azure-storage-blob make them) open what they sign for and nothing else, as on Azure: a wrong key, another
 * blob, an expired one and a missing permission are refused in Storage's words.
 */
const h = useSandbox();
const PROD = "mlprodeastusstore";
const BATCH = "mlbatcheastusstore";
const CONTAINER = "azureml";
const HOUR = 3600_000;

const keyOf = (account: string) => h.sb.world.datastores.find((d) => d.accountName === account)!.accountKey;
const credential = (account: string, key = keyOf(account)) => new StorageSharedKeyCredential(account, key);
const blobUrl = (account: string, blob: string, sas: string) => `${h.sb.armEndpoint}/${account}/${CONTAINER}/${blob}?${sas}`;

function blobSas(o: { account: string; blob?: string; permissions: string; key?: string; expiresOn?: Date; version?: string }): string {
  return generateBlobSASQueryParameters(
    {
      containerName: CONTAINER,
      ...(o.blob ? { blobName: o.blob, permissions: BlobSASPermissions.parse(o.permissions) } : { permissions: ContainerSASPermissions.parse(o.permissions) }),
      expiresOn: o.expiresOn ?? new Date(Date.now() + HOUR),
      ...(o.version ? { version: o.version } : {}),
    },
    credential(o.account, o.key),
  ).toString();
}

/** Storage's refusal as the client reports it (of a GET: a HEAD's has no body to name the code): status, code, detail. */
async function refusal(p: Promise<unknown>): Promise<{ status: number; code: string; text: string }> {
  const e = (await p.then(
    () => undefined,
    (x: unknown) => x,
  )) as { statusCode: number; code: string; details?: { authenticationErrorDetail?: string; message?: string } } | undefined;
  if (!e) throw new Error("the request was not refused");
  return { status: e.statusCode, code: e.code, text: `${e.details?.message ?? ""} ${e.details?.authenticationErrorDetail ?? ""}` };
}

async function seed(account: string, blob: string, text: string): Promise<void> {
  await h.uploadBlob(account, CONTAINER, blob, text);
}

describe("a service SAS (Azure's format) on a blob", () => {
  it("reads the blob it names, with the current and with older signed versions", async () => {
    await seed(PROD, "sas/read.txt", "hello");
    for (const version of [undefined, "2020-12-06", "2019-12-12", "2018-03-28"]) {
      const url = blobUrl(PROD, "sas/read.txt", blobSas({ account: PROD, blob: "sas/read.txt", permissions: "r", version }));
      expect((await blobFromSignedUrl(h.conn, url).downloadToBuffer()).toString(), version).toBe("hello");
    }
  });

  it("is refused when signed with a wrong key, used on another blob, expired, or lacking the permission", async () => {
    await seed(PROD, "sas/a.txt", "a");
    await seed(PROD, "sas/b.txt", "b");
    const wrongKey = Buffer.alloc(64, 7).toString("base64");
    const forged = blobUrl(PROD, "sas/a.txt", blobSas({ account: PROD, blob: "sas/a.txt", permissions: "r", key: wrongKey }));
    expect(await refusal(blobFromSignedUrl(h.conn, forged).download())).toMatchObject({ status: 403, code: "AuthenticationFailed" });
    expect((await refusal(blobFromSignedUrl(h.conn, forged).download())).text).toMatch(/Signature did not match\. String to sign used was r\n/);

    const forA = blobSas({ account: PROD, blob: "sas/a.txt", permissions: "r" });
    const onB = blobUrl(PROD, "sas/b.txt", forA);
    expect(await refusal(blobFromSignedUrl(h.conn, onB).download())).toMatchObject({ status: 403, code: "AuthenticationFailed" });

    const expired = blobUrl(PROD, "sas/a.txt", blobSas({ account: PROD, blob: "sas/a.txt", permissions: "r", expiresOn: new Date(Date.now() - HOUR) }));
    const late = await refusal(blobFromSignedUrl(h.conn, expired).download());
    expect(late).toMatchObject({ status: 403, code: "AuthenticationFailed" });
    expect(late.text).toMatch(/Signature not valid in the specified time frame/);

    const readOnly = blobUrl(PROD, "sas/a.txt", blobSas({ account: PROD, blob: "sas/a.txt", permissions: "r" }));
    const write = blobFromSignedUrl(h.conn, readOnly).getBlockBlobClient().uploadData(Buffer.from("overwritten"));
    expect(await refusal(write)).toMatchObject({ status: 403, code: "AuthorizationPermissionMismatch" });
    expect(h.sb.readBlob(`${PROD}/${CONTAINER}/sas/a.txt`)?.toString()).toBe("a");
  });
});

describe("a container SAS and an account SAS", () => {
  const options = (): StoragePipelineOptions => ({ tlsOptions: { ca: h.conn.caPem } }) as StoragePipelineOptions;

  it("a container SAS lists and reads with l and r, and writes only with w", async () => {
    await seed(PROD, "listed/one.txt", "1");
    const listing = new ContainerClient(
      `${h.sb.armEndpoint}/${PROD}/${CONTAINER}?${blobSas({ account: PROD, permissions: "rl" })}`,
      newPipeline(new AnonymousCredential(), options()),
    );
    const names: string[] = [];
    for await (const b of listing.listBlobsFlat({ prefix: "listed/" })) names.push(b.name);
    expect(names).toEqual(["listed/one.txt"]);
    expect((await listing.getBlobClient("listed/one.txt").downloadToBuffer()).toString()).toBe("1");
    expect(await refusal(listing.getBlockBlobClient("listed/two.txt").uploadData(Buffer.from("2")))).toMatchObject({ code: "AuthorizationPermissionMismatch" });

    const writer = new ContainerClient(
      `${h.sb.armEndpoint}/${PROD}/${CONTAINER}?${blobSas({ account: PROD, permissions: "cw" })}`,
      newPipeline(new AnonymousCredential(), options()),
    );
    await writer.getBlockBlobClient("listed/two.txt").uploadData(Buffer.from("2"));
    expect(h.sb.readBlob(`${PROD}/${CONTAINER}/listed/two.txt`)?.toString()).toBe("2");
  });

  it("an account SAS opens the account's blobs, and not another account's", async () => {
    await seed(PROD, "account/x.txt", "x");
    await seed(BATCH, "account/x.txt", "y");
    const sas = generateAccountSASQueryParameters(
      {
        expiresOn: new Date(Date.now() + HOUR),
        permissions: AccountSASPermissions.parse("rl"),
        services: AccountSASServices.parse("b").toString(),
        resourceTypes: AccountSASResourceTypes.parse("co").toString(),
      },
      credential(PROD),
    ).toString();
    expect((await blobFromSignedUrl(h.conn, blobUrl(PROD, "account/x.txt", sas)).downloadToBuffer()).toString()).toBe("x");
    expect(await refusal(blobFromSignedUrl(h.conn, blobUrl(BATCH, "account/x.txt", sas)).download())).toMatchObject({
      status: 403,
      code: "AuthenticationFailed",
    });
  });
});

describe("a copy whose source is in another account", () => {
  it("copies with a SAS Azure would accept, and answers CannotVerifyCopySource to a forged one", async () => {
    await seed(BATCH, "source/model.pkl", "weights");
    const destination = blobServiceWithAccountKey(h.conn, PROD, keyOf(PROD)).getContainerClient(CONTAINER);
    const good = blobUrl(BATCH, "source/model.pkl", blobSas({ account: BATCH, blob: "source/model.pkl", permissions: "r" }));
    await (await destination.getBlobClient("copied/model.pkl").beginCopyFromURL(good)).pollUntilDone();
    expect(h.sb.readBlob(`${PROD}/${CONTAINER}/copied/model.pkl`)?.toString()).toBe("weights");

    const forged = blobUrl(BATCH, "source/model.pkl", blobSas({ account: BATCH, blob: "source/model.pkl", permissions: "r", key: keyOf(PROD) }));
    const copy = destination.getBlobClient("copied/forged.pkl").beginCopyFromURL(forged);
    expect(await refusal(copy)).toMatchObject({ status: 403, code: "CannotVerifyCopySource" });
    expect(h.sb.readBlob(`${PROD}/${CONTAINER}/copied/forged.pkl`)).toBeUndefined();
  });
});
