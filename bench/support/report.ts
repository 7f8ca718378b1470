/**
 * One line per measured row of README's performance table: what was measured against what, the ratio, the
 * target and whether it is met. Ratios are taken side by side in one run, so the machine's speed cancels out.
 */
export function reportRatio(row: string, measured: string, ratio: number, target: { atMost: number } | { atLeast: number }): void {
  const ok = "atMost" in target ? ratio <= target.atMost : ratio >= target.atLeast;
  const goal = "atMost" in target ? `≤ ${target.atMost}` : `≥ ${target.atLeast}`;
  console.log(`[perf] ${row}: ${measured} → ratio ${ratio.toFixed(2)} (target ${goal}) ${ok ? "meets" : "MISSES"}`);
}

/** A plain line for rows that have no ratio target (the scale rows). */
export function reportLine(row: string, text: string): void {
  console.log(`[perf] ${row}: ${text}`);
}

export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const p95 = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;

/** Bench options for a body that measures (and reports) by itself: run it once, with no warm-up rounds. */
export const ONCE = { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 } as const;
