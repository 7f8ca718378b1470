import { describe, expect, it } from "vitest";
import { answerDifferences, fieldOf, isIgnored } from "../../src/domain/compare-answers.js";
import { latencyHistogram, percentile, summarizeLatency } from "../../src/domain/latency.js";
import { DEFAULT_REPLAY_SETTINGS, differingFields, replayReport, type ReplayRecord } from "../../src/domain/replay-report.js";

const settings = { ...DEFAULT_REPLAY_SETTINGS, tolerance: { relative: 1e-5, absolute: 1e-8 } };
const what = { service: "svc", endpoint: "svc-online", deployment: "blue", source: "a file", requests: 0 };
const side = (ms: number, status = 200) => ({ status, contentType: "application/json", ms, hash: "h" });
const record = (index: number, differs: string[] = [], extra: Partial<ReplayRecord> = {}): ReplayRecord => ({
  index,
  request: `r${index}`,
  old: side(10),
  new: side(10),
  differs,
  ...extra,
});

describe("comparing answers for a replay", () => {
  it("finds every difference beyond the tolerance, in order, and none within it", () => {
    const old = { scores: [0.5, 0.25, 1], label: "a", meta: { id: "x" } };
    const fresh = { scores: [0.5000001, 0.3, 1], label: "b", meta: { id: "x" } };
    expect(answerDifferences(old, fresh).map((d) => d.path)).toEqual(["$.scores[1]", "$.label"]);
    expect(answerDifferences(old, fresh, { tolerance: { relative: 0.5, absolute: 0 } }).map((d) => d.path)).toEqual(["$.label"]);
  });

  it("leaves out ignored fields: a bare name at any depth, a path from the root with [*] for every row", () => {
    const old = [{ ts: 1, score: 2, meta: { request_id: "a" } }];
    const fresh = [{ ts: 9, score: 2, meta: { request_id: "b" } }];
    expect(answerDifferences(old, fresh, { ignore: ["request_id", "$[*].ts"] })).toEqual([]);
    expect(answerDifferences(old, fresh, { ignore: ["$[0].ts"] }).map((d) => d.path)).toEqual(["$[0].meta.request_id"]);
    expect(isIgnored('$["odd key"].x', ["odd key"])).toBe(true);
    expect(isIgnored("$.score", ["sco"])).toBe(false);
    expect(fieldOf("$.rows[12].items[3].p")).toBe("$.rows[*].items[*].p");
  });

  it("counts a status or a content type that differs as a field of its own; two errors of one status agree", () => {
    expect(differingFields({ status: 200 }, { status: 500 }, [])).toEqual(["(status)"]);
    expect(differingFields({ status: 400, contentType: "text/plain" }, { status: 400, contentType: "application/json" }, [])).toEqual([]);
    expect(differingFields({ status: 200, contentType: "application/json; charset=utf-8" }, { status: 200, contentType: "application/json" }, [])).toEqual([]);
    expect(differingFields({ status: 200, contentType: "application/json" }, { status: 200, contentType: "text/html" }, [])).toEqual(["(content-type)"]);
  });
});

describe("latency figures", () => {
  it("takes nearest-rank percentiles and draws both sides over the same bins", () => {
    const ms = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(ms, 50), percentile(ms, 95), percentile(ms, 99)]).toEqual([50, 95, 99]);
    expect(summarizeLatency(ms)).toMatchObject({ count: 100, p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 });
    const bins = latencyHistogram([ms, ms.map((v) => v * 2)]);
    expect(bins[0]!.from).toBe(0);
    expect(bins.reduce((n, b) => n + b.counts[0]!, 0)).toBe(100);
    expect(bins.reduce((n, b) => n + b.counts[1]!, 0)).toBe(100);
  });
});

describe("the replay's report and its gate", () => {
  it("passes when every answer agrees and the new side is not slower than allowed", () => {
    const r = replayReport({ ...what, requests: 3 }, [record(0), record(1), record(2)], settings);
    expect(r).toMatchObject({ replayed: 3, agreed: 3, disagreed: 0, agreement: 1, verdict: { passed: true, reasons: [] } });
  });

  it("counts fields the old service's own answers differ in as noise, not as disagreements", () => {
    const records = [record(0, ["$.ts"], { noise: ["$.ts"] }), record(1, ["$.ts"]), record(2, ["$.ts", "$.score"]), record(3, [], { noise: [] })];
    const r = replayReport({ ...what, requests: 4 }, records, settings);
    expect(r).toMatchObject({ agreed: 1, noisy: 2, disagreed: 1, agreement: 0.75 });
    expect(r.noise).toEqual({ sampled: 2, fields: [{ field: "$.ts", rate: 0.5 }] });
    expect(r.fields).toEqual([{ field: "$.score", count: 1 }]);
    expect(r.firstDisagreements).toEqual([{ index: 2, path: "$.ts" }]);
    expect(r.verdict.passed).toBe(false);
    expect(r.verdict.reasons[0]).toMatch(/75% of the answers agree; at least 100% must \(1 disagree, the first at request 2\)/);
    expect(replayReport({ ...what, requests: 4 }, records, { ...settings, minAgreement: 0.75 }).verdict.passed).toBe(true);
  });

  it("fails when the new side's p95 is more than the allowed ratio of the old one's and 50 ms slower, warm-up left out", () => {
    const slow = Array.from({ length: 20 }, (_, i) => ({ ...record(i), old: side(40), new: side(i < 4 ? 900 : 120), ...(i < 4 ? { warmup: true } : {}) }));
    const r = replayReport({ ...what, requests: 20 }, slow, settings);
    expect(r.latency.new.max).toBe(120);
    expect(r.latency.p95Ratio).toBe(3);
    expect(r.verdict.reasons).toEqual([expect.stringMatching(/p95 is 3× the old service's \(120 ms against 40 ms\); at most 1.5× \(or 50 ms more\) may pass/)]);
    // Three times slower but only 20 ms: the machine, not the deployment.
    const quick = slow.map((x) => ({ ...x, old: side(10), new: side(30) }));
    expect(replayReport({ ...what, requests: 20 }, quick, settings).verdict.passed).toBe(true);
  });

  it("does not pass a replay that stopped before every request", () => {
    expect(replayReport({ ...what, requests: 5 }, [record(0)], settings).verdict.reasons).toContain("4 of 5 requests were not replayed");
  });
});
