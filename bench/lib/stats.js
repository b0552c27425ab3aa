// Order statistics for wall times, and a bootstrap interval for a ratio of
// medians so a pass at 1.02x can be told apart from noise.

/** The q-quantile (0..1) of a sample, linearly interpolated between order statistics. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

export const median = (values) => quantile(values, 0.5);

/**
 * A 95% percentile-bootstrap interval for median(sample) / median(baseline).
 * Seeded, so the same timings always give the same page.
 */
export function ratioInterval(sample, baseline, { resamples = 2000, seed = 1 } = {}) {
  const random = seededRandom(seed);
  const pick = (values) => values[Math.floor(random() * values.length)];
  const ratios = [];
  for (let i = 0; i < resamples; i++) {
    const a = median(Array.from(sample, () => pick(sample)));
    const b = median(Array.from(baseline, () => pick(baseline)));
    ratios.push(a / b);
  }
  return [quantile(ratios, 0.025), quantile(ratios, 0.975)];
}

/** mulberry32: a tiny deterministic generator, plenty for resampling and shuffling. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
