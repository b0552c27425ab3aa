// Bookkeeping for "Prometheus holds exactly what was sent" checks: expected per-series counter
// totals and histograms, and comparison against PromQL results.
import { DURATION_BUCKETS, bucketIndex } from './otlp.js';

/** The Prometheus label names the gateway produces from a data point's attributes. */
export const ATTRIBUTE_LABELS = {
  'cli.command': 'cli_command',
  'cli.subcommand': 'cli_subcommand',
  'cli.outcome': 'cli_outcome',
  'process.exit.code': 'process_exit_code',
  'error.type': 'error_type',
  'cli.channel': 'cli_channel',
  'os.type': 'os_type',
  'service.version': 'service_version',
  'cli.org.id': 'cli_org_id',
};

/** Prometheus labels (strings) for a set of OTel attributes, only the allowlisted keys. */
export function toLabels(attributes) {
  const labels = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && Object.hasOwn(ATTRIBUTE_LABELS, key)) labels[ATTRIBUTE_LABELS[key]] = String(value);
  }
  return labels;
}

/** A stable key for a label set restricted to `names` (missing labels count as ""). */
export function labelKey(labels, names) {
  return names.map((name) => `${name}=${labels[name] ?? ''}`).join(',');
}

/**
 * Accumulates what was sent, per label set (restricted to `keyLabels`).
 */
export class Expected {
  /** @param {string[]} keyLabels  the Prometheus label names that identify a series in the checks */
  constructor(keyLabels) {
    this.keyLabels = keyLabels;
    /** @type {Map<string, { labels: Record<string,string>, invocations: number, count: number, sum: number, buckets: number[] }>} */
    this.series = new Map();
  }

  /**
   * Records `count` invocations of `durationSeconds` each for a label set.
   * @param {Record<string, string>} labels
   */
  add(labels, durationSeconds, count = 1) {
    const key = labelKey(labels, this.keyLabels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels, invocations: 0, count: 0, sum: 0, buckets: DURATION_BUCKETS.map(() => 0).concat([0]) };
      this.series.set(key, entry);
    }
    entry.invocations += count;
    entry.count += count;
    entry.sum += durationSeconds * count;
    entry.buckets[bucketIndex(durationSeconds)] += count;
  }

  /** Total invocations over all series. */
  total() {
    let total = 0;
    for (const entry of this.series.values()) total += entry.invocations;
    return total;
  }

  /** key -> invocations, sorted by key (for deepEqual against {@link byKey}). */
  invocations() {
    return sortedObject([...this.series].map(([key, entry]) => [key, entry.invocations]));
  }

  /** key -> histogram count. */
  counts() {
    return sortedObject([...this.series].map(([key, entry]) => [key, entry.count]));
  }

  /** `${key} le=${le}` -> cumulative bucket count, for every bucket including +Inf. */
  cumulativeBuckets() {
    const rows = [];
    for (const [key, entry] of this.series) {
      let running = 0;
      entry.buckets.forEach((n, i) => {
        running += n;
        rows.push([`${key} le=${i < DURATION_BUCKETS.length ? formatLe(DURATION_BUCKETS[i]) : '+Inf'}`, running]);
      });
    }
    return sortedObject(rows);
  }

  /** key -> sum of durations. */
  sums() {
    return sortedObject([...this.series].map(([key, entry]) => [key, entry.sum]));
  }
}

/** How Prometheus renders an `le` bound (1 -> "1", 0.005 -> "0.005"). */
export function formatLe(bound) {
  return String(bound);
}

/** PromQL vector rows -> { key: value } with the same keys as {@link Expected}. */
export function byKey(rows, keyLabels, { withLe = false } = {}) {
  return sortedObject(rows.map((row) => [withLe ? `${labelKey(row.metric, keyLabels)} le=${row.metric.le}` : labelKey(row.metric, keyLabels), row.value]));
}

function sortedObject(entries) {
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
