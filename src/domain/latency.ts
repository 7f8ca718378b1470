/** Latency figures of one side of a replay, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** The nearest-rank percentile (p in 0–100) of values sorted ascending; 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarizeLatency(ms: readonly number[]): LatencySummary {
  const sorted = [...ms].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
    mean: round(sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0),
  };
}

/** One bar of a latency histogram: values in [from, to) milliseconds, counted per side. */
export interface HistogramBin {
  readonly from: number;
  readonly to: number;
  readonly counts: readonly number[];
}

/**
 * A histogram of several sides over the same bins: `bins` bins of equal width from 0 to the largest p99 of the
 * sides (slower outliers fall in the last bin), so one slow request does not flatten every other bar.
 */
export function latencyHistogram(sides: readonly (readonly number[])[], bins = 10): HistogramBin[] {
  const top = Math.max(
    1,
    ...sides.map((ms) =>
      percentile(
        [...ms].sort((a, b) => a - b),
        99,
      ),
    ),
  );
  const width = niceWidth(top / bins);
  const count = Math.max(1, Math.ceil(top / width));
  return Array.from({ length: count }, (_, i) => ({
    from: i * width,
    to: (i + 1) * width,
    counts: sides.map((ms) => ms.filter((v) => (i === count - 1 ? v >= i * width : v >= i * width && v < (i + 1) * width)).length),
  }));
}

/** A bin width of 1, 2 or 5 times a power of ten, at least `raw`. */
function niceWidth(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-3)));
  return [1, 2, 5, 10].map((m) => m * power).find((w) => w >= raw) ?? 10 * power;
}
