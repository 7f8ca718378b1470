import { createHash } from "node:crypto";
import { answerDifferences, type CompareOptions } from "../domain/compare-answers.js";
import {
  differingFields,
  replayReport,
  type ReplayRecord,
  type ReplayReport,
  type ReplaySample,
  type ReplaySettings,
  type SideResult,
} from "../domain/replay-report.js";
import type { ReplayJournal } from "../session/replay-journal.js";
import type { MigrationPort } from "./port.js";

/** Where one side of a replay answers: the ACI service (its URI, its v1 key), or the new deployment pinned by name. */
export interface ReplaySide {
  readonly uri: string;
  readonly key?: string;
  readonly deployment?: string;
}

export interface ReplayJob {
  readonly service: string;
  readonly endpoint: string;
  readonly deployment: string;
  /** Where the requests came from, for the report. */
  readonly source: string;
  readonly requests: readonly unknown[];
  readonly old: ReplaySide;
  readonly new: ReplaySide;
  readonly settings: ReplaySettings;
}

export interface ReplayProgress {
  readonly done: number;
  readonly total: number;
  readonly disagreed: number;
  /** Requests answered in an earlier run of this replay (not sent again). */
  readonly resumed: number;
}

export interface ReplayOutcome {
  readonly report: ReplayReport;
  /** The first disagreements with their bodies, for the report's files only. */
  readonly samples: readonly ReplaySample[];
  /** Stopped before every request was replayed (the journal keeps what was). */
  readonly stopped: boolean;
}

/** Answers that say the side could not answer now (0: no answer at all), not what it answers. */
const TRANSIENT = new Set([0, 429, 502, 503, 504]);
const SEND_ATTEMPTS = 4;
const RETRY_MS = 250;

/**
 * Requests with differences kept with their bodies, to show side by side: those of the lowest indices (the report
 * shows the first five disagreements; some of these may turn out to be noise), whatever order they finish in.
 */
const SAMPLES_KEPT = 10;

/** What names a replay: the same requests against the same two sides, compared the same way. */
export function replayIdentity(job: ReplayJob): string {
  const { service, endpoint, deployment } = job;
  const { tolerance, ignore } = job.settings;
  // The sides by name, not by URI: a sandbox started again listens on another port, and is the same service.
  return hashOf({
    service,
    endpoint,
    deployment,
    tolerance,
    ignore,
    requests: job.requests.map(hashOf),
  });
}

/**
 * Sends each request to the old service and to the new deployment (pinned with `azureml-model-deployment`, so
 * no traffic moves), `concurrency` at a time and at most `ratePerSecond` to the old one (the production
 * service); a share of them twice to the old one, to measure its noise. Each answered pair is journalled before
 * the next is taken, so a stop (the signal) lets what is in flight finish and a resume sends only the rest.
 */
export async function runReplay(
  port: MigrationPort,
  job: ReplayJob,
  journal: ReplayJournal,
  o: { signal?: AbortSignal; onProgress?: (p: ReplayProgress) => void } = {},
): Promise<ReplayOutcome> {
  const { settings } = job;
  const records = new Map(journal.finished);
  const samples = journal.samples();
  const resumed = records.size;
  const compare: CompareOptions = { tolerance: settings.tolerance, ignore: settings.ignore };
  const pending = job.requests.map((_, i) => i).filter((i) => !records.has(i));
  const noiseEvery = settings.noiseShare > 0 ? Math.max(1, Math.round(1 / settings.noiseShare)) : 0;
  const warmup = job.requests.length >= 20 ? settings.concurrency : 0;
  const oldGate = rateGate(settings.ratePerSecond);
  let started = 0;
  let disagreed = [...records.values()].filter((r) => r.differs.length).length;
  const report = () => o.onProgress?.({ done: records.size, total: job.requests.length, disagreed, resumed });
  report();

  const send = async (side: ReplaySide, body: unknown, gate?: () => Promise<void>) => {
    for (let attempt = 1; ; attempt++) {
      await gate?.();
      const t0 = performance.now();
      const answer = await port
        .score(side.uri, side.key, body, side.deployment)
        .catch((e: Error): { status: number; body: unknown } => ({ status: 0, body: e.message }));
      const ms = Math.round((performance.now() - t0) * 10) / 10;
      // A throttled or unavailable side (or no answer at all) says nothing of the answer: asked again, a few times.
      if (!TRANSIENT.has(answer.status) || attempt >= SEND_ATTEMPTS || o.signal?.aborted) return { ...answer, ms };
      await new Promise((r) => setTimeout(r, RETRY_MS * 2 ** (attempt - 1)));
    }
  };
  const sideResult = (a: { status: number; contentType?: string; body: unknown; ms: number }): SideResult => ({
    status: a.status,
    ...(a.contentType ? { contentType: a.contentType } : {}),
    ms: a.ms,
    hash: hashOf(a.body),
  });

  const worker = async () => {
    for (let i = pending.shift(); i !== undefined; i = pending.shift()) {
      if (o.signal?.aborted) return;
      const ordinal = started++;
      const body = job.requests[i];
      const sampled = noiseEvery > 0 && i % noiseEvery === 0;
      const [old, fresh] = await Promise.all([send(job.old, body, oldGate), send(job.new, body)]);
      const again = sampled ? await send(job.old, body, oldGate) : undefined;
      const differences = old.status === fresh.status && old.status < 400 ? answerDifferences(old.body, fresh.body, compare) : [];
      const differs = differingFields(old, fresh, differences);
      const noise = again
        ? differingFields(old, again, old.status === again.status && old.status < 400 ? answerDifferences(old.body, again.body, compare) : [])
        : undefined;
      const record: ReplayRecord = {
        index: i,
        request: hashOf(body),
        old: sideResult(old),
        new: sideResult(fresh),
        differs,
        ...(differences[0] ? { first: differences[0].path } : differs[0] ? { first: differs[0] } : {}),
        ...(noise ? { noise } : {}),
        ...(ordinal < warmup ? { warmup: true } : {}),
      };
      journal.append(record);
      records.set(i, record);
      if (differs.length) {
        disagreed++;
        if (samples.length < SAMPLES_KEPT || i < samples.at(-1)!.index) {
          samples.push({ index: i, request: body, old: { status: old.status, body: old.body }, new: { status: fresh.status, body: fresh.body }, differences });
          samples.sort((a, b) => a.index - b.index).splice(SAMPLES_KEPT);
          journal.saveSamples(samples);
        }
      }
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, settings.concurrency) }, worker));
  const { service, endpoint, deployment, source } = job;
  const result = replayReport({ service, endpoint, deployment, source, requests: job.requests.length }, [...records.values()], settings);
  const shown = new Set(result.firstDisagreements.map((d) => d.index));
  return { report: result, samples: samples.filter((s) => shown.has(s.index)), stopped: records.size < job.requests.length };
}

/** Spaces calls at least 1/rate seconds apart (0: no limit), whichever worker makes them. */
function rateGate(ratePerSecond: number): (() => Promise<void>) | undefined {
  if (!(ratePerSecond > 0)) return undefined;
  const interval = 1000 / ratePerSecond;
  let next = 0;
  return async () => {
    const now = performance.now();
    const at = Math.max(now, next);
    next = at + interval;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  };
}

/** A short hash of a JSON value (what the journal keeps instead of a body). */
export function hashOf(value: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify(value) ?? "undefined")
    .digest("hex")
    .slice(0, 16);
}
