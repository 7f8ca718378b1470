import { fieldOf, type AnswerDifference, type Tolerance } from "./compare-answers.js";
import { latencyHistogram, summarizeLatency, type HistogramBin, type LatencySummary } from "./latency.js";

/** How one side answered one request: never the body (it may hold personal data), only its hash. */
export interface SideResult {
  readonly status: number;
  readonly contentType?: string;
  readonly ms: number;
  readonly hash: string;
}

/** What a replay keeps of one request once both sides answered: counts and hashes, never bodies. */
export interface ReplayRecord {
  readonly index: number;
  /** The request body's hash (a resumed replay checks it is the same request). */
  readonly request: string;
  readonly old: SideResult;
  readonly new: SideResult;
  /** The fields (array positions as `[*]`) where the answers differ; `(status)` and `(content-type)` for those. */
  readonly differs: readonly string[];
  /** Where they first differ, exactly (`$[3].score`). */
  readonly first?: string;
  /** A request of the noise sample: the fields where two answers of the old service differ. */
  readonly noise?: readonly string[];
  /** Among the first requests of each side, left out of the latency figures (connections and caches warm up). */
  readonly warmup?: boolean;
}

/** A disagreement shown side by side: kept in the report only (mode 0600), never in the journal. */
export interface ReplaySample {
  readonly index: number;
  readonly request: unknown;
  readonly old: { readonly status: number; readonly body: unknown };
  readonly new: { readonly status: number; readonly body: unknown };
  readonly differences: readonly AnswerDifference[];
}

/** When traffic may move: how many answers must agree, and how much slower the new side may be. */
export interface ReplayGate {
  /** The share of requests (0–1) whose answers must agree; 1 (all) by default. */
  readonly minAgreement: number;
  /** The new deployment's p95 may be at most this many times the old service's. */
  readonly maxLatencyRatio: number;
}

export const DEFAULT_GATE: ReplayGate = { minAgreement: 1, maxLatencyRatio: 1.5 };

/**
 * A slower p95 fails the gate only when it is also this much slower: below it, a busy machine or the network
 * moves the figure more than the deployment does (a 12 ms p95 that becomes 20 ms is no caller's regression).
 */
export const LATENCY_FLOOR_MS = 50;

export interface ReplaySettings extends ReplayGate {
  readonly tolerance: Tolerance;
  readonly ignore: readonly string[];
  /** Requests in flight at once on each side. */
  readonly concurrency: number;
  /** Requests per second sent to the old (production) service at most; 0: no limit. */
  readonly ratePerSecond: number;
  /** The share of requests (0–1) also sent a second time to the old service, to measure its noise. */
  readonly noiseShare: number;
}

export const DEFAULT_REPLAY_SETTINGS: Omit<ReplaySettings, "tolerance"> = {
  ...DEFAULT_GATE,
  ignore: [],
  concurrency: 4,
  ratePerSecond: 10,
  noiseShare: 0.1,
};

export interface ReplayReport {
  readonly service: string;
  readonly endpoint: string;
  readonly deployment: string;
  /** Where the requests came from (a file, a folder, the service's collected inputs). */
  readonly source: string;
  readonly requests: number;
  readonly replayed: number;
  readonly agreed: number;
  /** Requests whose answers differ only in fields the old service's own answers differ in. */
  readonly noisy: number;
  readonly disagreed: number;
  /** (agreed + noisy) / replayed; 1 when nothing was replayed. */
  readonly agreement: number;
  readonly noise: { readonly sampled: number; readonly fields: readonly { readonly field: string; readonly rate: number }[] };
  /** The fields that disagree, most often first. */
  readonly fields: readonly { readonly field: string; readonly count: number }[];
  /** The first disagreeing requests (their index in the replay, and where they first differ). */
  readonly firstDisagreements: readonly { readonly index: number; readonly path: string }[];
  readonly latency: { readonly old: LatencySummary; readonly new: LatencySummary; readonly p95Ratio: number };
  /** Both sides' latencies over the same bins (old first). */
  readonly histogram: readonly HistogramBin[];
  readonly statuses: { readonly old: Readonly<Record<string, number>>; readonly new: Readonly<Record<string, number>> };
  readonly settings: ReplaySettings;
  readonly verdict: { readonly passed: boolean; readonly reasons: readonly string[] };
}

export const STATUS_FIELD = "(status)";
export const CONTENT_TYPE_FIELD = "(content-type)";

/** A content type's media type alone (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * The fields two answers of one request differ in, status and content type first. Two errors of the same status
 * agree: an error's text is its server's words (the v1 server and azmlinfsrv word them differently).
 */
export function differingFields(
  old: { status: number; contentType?: string },
  fresh: { status: number; contentType?: string },
  differences: readonly AnswerDifference[],
): string[] {
  if (old.status !== fresh.status) return [STATUS_FIELD];
  if (old.status >= 400) return [];
  const fields = mediaType(old.contentType) !== mediaType(fresh.contentType) ? [CONTENT_TYPE_FIELD] : [];
  return [...new Set([...fields, ...differences.map((d) => fieldOf(d.path))])];
}

/** The replay's figures and verdict from its records (each request once, in any order). */
export function replayReport(
  what: { service: string; endpoint: string; deployment: string; source: string; requests: number },
  records: readonly ReplayRecord[],
  settings: ReplaySettings,
): ReplayReport {
  const sorted = [...records].sort((a, b) => a.index - b.index);
  const sampled = sorted.filter((r) => r.noise);
  const noiseCounts = countFields(sampled.flatMap((r) => r.noise ?? []));
  const noiseFields = new Set(noiseCounts.keys());
  let agreed = 0;
  let noisy = 0;
  const disagreeing: ReplayRecord[] = [];
  for (const r of sorted) {
    if (!r.differs.length) agreed++;
    else if (r.differs.every((f) => noiseFields.has(f))) noisy++;
    else disagreeing.push(r);
  }
  const replayed = sorted.length;
  const agreement = replayed ? (agreed + noisy) / replayed : 1;
  const timed = sorted.filter((r) => !r.warmup);
  const latency = { old: summarizeLatency(timed.map((r) => r.old.ms)), new: summarizeLatency(timed.map((r) => r.new.ms)) };
  const p95Ratio = latency.old.p95 > 0 ? Math.round((latency.new.p95 / latency.old.p95) * 100) / 100 : 1;
  const reasons: string[] = [];
  if (agreement < settings.minAgreement) {
    reasons.push(
      `${percent(agreement)} of the answers agree; at least ${percent(settings.minAgreement)} must (${disagreeing.length} disagree, the first at request ${disagreeing[0]?.index ?? "?"})`,
    );
  }
  if (latency.old.count && p95Ratio > settings.maxLatencyRatio && latency.new.p95 - latency.old.p95 > LATENCY_FLOOR_MS) {
    reasons.push(
      `the new deployment's p95 is ${p95Ratio}× the old service's (${latency.new.p95} ms against ${latency.old.p95} ms); at most ${settings.maxLatencyRatio}× (or ${LATENCY_FLOOR_MS} ms more) may pass`,
    );
  }
  if (replayed < what.requests) reasons.push(`${what.requests - replayed} of ${what.requests} requests were not replayed`);
  return {
    ...what,
    replayed,
    agreed,
    noisy,
    disagreed: disagreeing.length,
    agreement,
    noise: {
      sampled: sampled.length,
      fields: [...noiseCounts].sort((a, b) => b[1] - a[1]).map(([field, n]) => ({ field, rate: Math.round((n / sampled.length) * 1000) / 1000 })),
    },
    fields: [...countFields(disagreeing.flatMap((r) => r.differs.filter((f) => !noiseFields.has(f))))]
      .sort((a, b) => b[1] - a[1])
      .map(([field, count]) => ({ field, count })),
    firstDisagreements: disagreeing.slice(0, 5).map((r) => ({ index: r.index, path: r.first ?? r.differs[0]! })),
    latency: { ...latency, p95Ratio },
    histogram: latencyHistogram([timed.map((r) => r.old.ms), timed.map((r) => r.new.ms)]),
    statuses: { old: countStatuses(sorted.map((r) => r.old.status)), new: countStatuses(sorted.map((r) => r.new.status)) },
    settings,
    verdict: { passed: reasons.length === 0, reasons },
  };
}

/** A share as a percentage with one decimal where it matters (99.5%, 100%). */
export function percent(share: number): string {
  const p = Math.floor(share * 1000) / 10;
  return `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
}

function countFields(fields: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of fields) counts.set(f, (counts.get(f) ?? 0) + 1);
  return counts;
}

function countStatuses(statuses: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of statuses) out[String(s)] = (out[String(s)] ?? 0) + 1;
  return out;
}
