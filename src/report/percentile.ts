/**
 * Nearest-rank percentile: always one of the observed values, which is what
 * a reader of "p99 = 412 ms" expects from a small local sample.
 */
export function percentile(sortedValues: readonly number[], fraction: number): number {
  if (sortedValues.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(fraction * sortedValues.length));
  return sortedValues[Math.min(rank, sortedValues.length) - 1] as number;
}
