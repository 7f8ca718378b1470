import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { retryAfterFloorPolicy } from "../../src/azure/connection.js";

describe("the Retry-After floor", () => {
  it("makes `Retry-After: 0` wait, longer at each try of the same request; a longer ask is kept", async () => {
    const policy = retryAfterFloorPolicy(100);
    const request = createPipelineRequest({ url: "https://127.0.0.1/x" });
    const answer = (status: number, retryAfter: string) => async (): Promise<PipelineResponse> => ({
      request,
      status,
      headers: createHttpHeaders({ "retry-after": retryAfter }),
    });
    const waits: string[] = [];
    for (let i = 0; i < 3; i++) waits.push((await policy.sendRequest(request, answer(503, "0"))).headers.get("retry-after-ms")!);
    expect(waits).toEqual(["100", "200", "400"]);
    expect((await policy.sendRequest(request, answer(429, "5"))).headers.get("retry-after-ms")).toBe("5000");
    // Another request starts from the floor; other statuses pass untouched.
    const other = createPipelineRequest({ url: "https://127.0.0.1/y" });
    expect(
      (await policy.sendRequest(other, async () => ({ request: other, status: 503, headers: createHttpHeaders({ "retry-after": "0" }) }))).headers.get(
        "retry-after-ms",
      ),
    ).toBe("100");
    expect(
      (await policy.sendRequest(other, async () => ({ request: other, status: 500, headers: createHttpHeaders() }))).headers.get("retry-after-ms"),
    ).toBeUndefined();
  });
});
