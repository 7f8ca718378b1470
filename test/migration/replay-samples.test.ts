import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_TOLERANCE } from "../../src/domain/compare-answers.js";
import { DEFAULT_REPLAY_SETTINGS } from "../../src/domain/replay-report.js";
import type { MigrationPort } from "../../src/migration/port.js";
import { replayIdentity, runReplay, type ReplayJob } from "../../src/migration/replay.js";
import { ReplayJournal } from "../../src/session/replay-journal.js";

const dir = mkdtempSync(join(tmpdir(), "aci-migrate-replay-samples-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two sides that disagree on every request from index 10 on; the lower the index, the slower the answer. */
const port = {
  score: async (uri: string, _key: string | undefined, body: unknown) => {
    const i = (body as { i: number }).i;
    await new Promise((r) => setTimeout(r, Math.max(1, 40 - i)));
    return { status: 200, contentType: "application/json", body: [uri === "new" && i >= 10 ? i + 1 : i] };
  },
} as unknown as MigrationPort;

describe("the disagreements a replay shows side by side", () => {
  it("are the first by index, whatever order their answers came in", async () => {
    const requests = Array.from({ length: 30 }, (_, i) => ({ i }));
    const settings = { ...DEFAULT_REPLAY_SETTINGS, tolerance: DEFAULT_TOLERANCE, concurrency: 8, ratePerSecond: 0, noiseShare: 0 };
    const job: ReplayJob = {
      service: "s",
      endpoint: "s-online",
      deployment: "blue",
      source: "t",
      requests,
      old: { uri: "old" },
      new: { uri: "new", deployment: "blue" },
      settings,
    };
    const outcome = await runReplay(port, job, ReplayJournal.open(join(dir, "r"), replayIdentity(job)));
    expect(outcome.report).toMatchObject({ replayed: 30, agreed: 10, disagreed: 20 });
    expect(outcome.report.firstDisagreements.map((d) => d.index)).toEqual([10, 11, 12, 13, 14]);
    expect(outcome.samples.map((s) => s.index)).toEqual([10, 11, 12, 13, 14]);
    expect(outcome.samples[0]).toMatchObject({ request: { i: 10 }, old: { body: [10] }, new: { body: [11] } });
  });
});
