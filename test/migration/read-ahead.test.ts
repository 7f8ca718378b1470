import { describe, expect, it } from "vitest";
import { readAhead, takeAhead } from "../../src/migration/read-ahead.js";
import type { ServiceRun } from "../../src/migration/service-run.js";

describe("reads ahead", () => {
  it("a read made ahead is taken once; the next take (a retry, a resume) reads for itself", async () => {
    const run = {} as ServiceRun;
    let reads = 0;
    const read = async () => ({ primaryKey: `k${++reads}`, secondaryKey: "s" });
    readAhead(run, "v1-keys", read);
    expect(reads).toBe(1); // started at once, beside what the earlier step does
    expect(await takeAhead(run, "v1-keys", read)).toEqual({ primaryKey: "k1", secondaryKey: "s" });
    expect(await takeAhead(run, "v1-keys", read)).toEqual({ primaryKey: "k2", secondaryKey: "s" });
    expect(reads).toBe(2);
  });

  it("a read ahead that failed fails the step that takes it, and nobody else", async () => {
    const run = {} as ServiceRun;
    readAhead(run, "traffic-endpoint", async () => Promise.reject(new Error("HTTP 503")));
    await new Promise((r) => setTimeout(r, 5)); // no unhandled rejection while nobody has taken it
    await expect(takeAhead(run, "traffic-endpoint", async () => undefined)).rejects.toThrow("HTTP 503");
  });
});
