import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, bench, describe } from "vitest";
import { DEFAULT_TOLERANCE } from "../src/domain/compare-answers.js";
import { DEFAULT_REPLAY_SETTINGS } from "../src/domain/replay-report.js";
import type { MigrationPort } from "../src/migration/port.js";
import { replayIdentity, runReplay, type ReplayJob } from "../src/migration/replay.js";
import { ReplayJournal } from "../src/session/replay-journal.js";
import { reportRatio, ONCE } from "./support/report.js";

/**
 * The replay against the target (#23): 1,000 requests at concurrency 8 on both sides take at most 1.2×
 * what the same requests take on the slower side alone, at the same concurrency. The sides answer after a fixed
 * time (the old 4 ms, the new 6 ms), so what is measured is the replay's own cost: pairing, comparing, the noise
 * sample, the journal written request by request.
 */
const state = mkdtempSync(join(tmpdir(), "aci-migrate-bench-replay-"));
afterAll(() => rmSync(state, { recursive: true, force: true }));

const OLD_MS = 4;
const NEW_MS = 6;
const REQUESTS = Array.from({ length: 1000 }, (_, i) => ({ data: [[i, i % 7, i % 3, 20 + i / 10, i % 5]] }));
const answer = (body: unknown) => ((body as { data: number[][] }).data ?? []).map((row) => row.reduce((a, b) => a + b, 0) / 7);
const port = {
  score: async (uri: string, _key: string | undefined, body: unknown) => {
    await new Promise((r) => setTimeout(r, uri === "old" ? OLD_MS : NEW_MS));
    return { status: 200, body: answer(body), contentType: "application/json" };
  },
} as unknown as MigrationPort;

async function slowerSideAlone(concurrency: number): Promise<number> {
  const queue = [...REQUESTS];
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let body = queue.shift(); body; body = queue.shift()) await port.score("new", undefined, body, "blue");
    }),
  );
  return performance.now() - t;
}

describe("replay", () => {
  bench(
    "1,000 requests at concurrency 8 on both sides vs the slower side alone",
    async () => {
      const settings = { ...DEFAULT_REPLAY_SETTINGS, tolerance: DEFAULT_TOLERANCE, concurrency: 8, ratePerSecond: 0 };
      const job: ReplayJob = {
        service: "bench",
        endpoint: "bench-online",
        deployment: "blue",
        source: "bench",
        requests: REQUESTS,
        old: { uri: "old" },
        new: { uri: "new", deployment: "blue" },
        settings,
      };
      const alone = await slowerSideAlone(8);
      const t = performance.now();
      const outcome = await runReplay(port, job, ReplayJournal.open(join(state, "replay"), replayIdentity(job)));
      const both = performance.now() - t;
      if (outcome.report.agreement !== 1) throw new Error("the bench's two sides were meant to agree");
      reportRatio("replay of 1,000 requests at concurrency 8 vs the slower side alone", `${both.toFixed(0)} ms vs ${alone.toFixed(0)} ms`, both / alone, {
        atMost: 1.2,
      });
    },
    ONCE,
  );
});
