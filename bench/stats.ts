/** Small statistics shared by the benchmarks. */

/** The p-th percentile (nearest rank) of `values`; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Milliseconds of CLOCK_MONOTONIC: the bench and its client processes stamp with the same clock. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
