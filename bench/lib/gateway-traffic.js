// Requests shaped like the ones cmdtel's background sender posts to a gateway:
// one OTLP/HTTP JSON request per sender batch, one resource (service.name and
// service.version only, as src/delivery/otlp/pipeline.ts sets it), scope `cmdtel`, a
// DELTA monotonic counter and a DELTA histogram with the library's buckets,
// and one data point per distinct attribute set, its count the invocations
// that share it (the SDK aggregates before exporting).
import { DURATION_BUCKETS, bucketIndex, nanos, otlpAttributes } from '../../test/e2e/harness/otlp.js';
import { seededRandom } from './stats.js';

const COMMANDS = [
  ['init', undefined],
  ['build', undefined],
  ['deploy', 'prod'],
  ['deploy', 'staging'],
  ['login', undefined],
  ['config', 'get'],
  ['config', 'set'],
  ['note', 'add'],
  ['note', 'list'],
  ['note', 'rm'],
  ['sync', 'push'],
  ['sync', 'pull'],
];
const FAILURES = [
  { 'cli.outcome': 'error', 'process.exit.code': 1, 'error.type': 'not_found' },
  { 'cli.outcome': 'error', 'process.exit.code': 2, 'error.type': 'usage' },
  { 'cli.outcome': 'error', 'process.exit.code': 1, 'error.type': 'network' },
  { 'cli.outcome': 'interrupted', 'process.exit.code': 130, 'error.type': 'sigint' },
];
const OS_TYPES = ['linux', 'linux', 'darwin', 'windows'];
const VERSIONS = ['2.3.0', '2.3.1', '2.4.0-beta.1'];
const CHANNELS = ['stable', 'stable', 'stable', 'homebrew', 'beta'];
const DURATIONS = [0.004, 0.02, 0.06, 0.3, 0.8, 2.5, 12];

/**
 * How many invocations one sender batch carries: mostly the one command just
 * run, sometimes a small backlog, now and then a long one (1–50).
 */
function batchSize(random) {
  const r = random();
  if (r < 0.6) return 1;
  if (r < 0.9) return 2 + Math.floor(random() * 9);
  return 11 + Math.floor(random() * 40);
}

/** One machine's invocation: a realistic attribute mix (about 5% failures, a few orgs). */
function invocation(random, machine) {
  const [command, subcommand] = COMMANDS[Math.floor(random() ** 2 * COMMANDS.length)];
  const failed = random() < 0.05 ? FAILURES[Math.floor(random() * FAILURES.length)] : { 'cli.outcome': 'ok', 'process.exit.code': 0 };
  return {
    attributes: {
      'cli.command': command,
      'cli.subcommand': subcommand,
      ...failed,
      'os.type': machine.os,
      'service.version': machine.version,
      'cli.channel': machine.channel,
      'cli.org.id': machine.org,
    },
    durationSeconds: DURATIONS[Math.floor(random() * DURATIONS.length)],
  };
}

/** The OTLP/JSON request for a batch of invocations, points aggregated per attribute set. */
export function batchRequest({ serviceName, startMs, endMs, invocations }) {
  const sets = new Map();
  for (const { attributes, durationSeconds } of invocations) {
    const key = JSON.stringify(Object.entries(attributes).filter(([, value]) => value !== undefined));
    let set = sets.get(key);
    if (set === undefined) {
      set = { attributes, count: 0, sum: 0, min: Infinity, max: -Infinity, buckets: new Array(DURATION_BUCKETS.length + 1).fill(0) };
      sets.set(key, set);
    }
    set.count += 1;
    set.sum += durationSeconds;
    set.min = Math.min(set.min, durationSeconds);
    set.max = Math.max(set.max, durationSeconds);
    set.buckets[bucketIndex(durationSeconds)] += 1;
  }
  const start = nanos(startMs);
  const end = nanos(endMs);
  const points = [...sets.values()];
  return {
    resourceMetrics: [
      {
        resource: { attributes: otlpAttributes({ 'service.name': serviceName, 'service.version': '2.3.1' }) },
        scopeMetrics: [
          {
            scope: { name: 'cmdtel', version: '0.1.0' },
            metrics: [
              {
                name: 'cli.command.invocations',
                unit: '{invocation}',
                sum: {
                  aggregationTemporality: 1,
                  isMonotonic: true,
                  dataPoints: points.map((p) => ({
                    attributes: otlpAttributes(p.attributes),
                    startTimeUnixNano: start,
                    timeUnixNano: end,
                    asInt: String(p.count),
                  })),
                },
              },
              {
                name: 'cli.command.duration',
                unit: 's',
                histogram: {
                  aggregationTemporality: 1,
                  dataPoints: points.map((p) => ({
                    attributes: otlpAttributes(p.attributes),
                    startTimeUnixNano: start,
                    timeUnixNano: end,
                    count: String(p.count),
                    sum: p.sum,
                    min: p.min,
                    max: p.max,
                    bucketCounts: p.buckets.map(String),
                    explicitBounds: DURATION_BUCKETS,
                  })),
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

/**
 * A pool of `size` pre-serialised sender requests for one service, from a
 * seeded fleet of machines (each with its OS, version, channel and org).
 * Serialising up front keeps the load generator's CPU off the measured path.
 * @returns {{ bodies: string[], invocations: number[], meanInvocations: number }}
 */
export function requestPool({ serviceName, size = 1000, seed = 12 }) {
  const random = seededRandom(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const machines = Array.from({ length: 200 }, (_, i) => ({
    os: pick(OS_TYPES),
    version: pick(VERSIONS),
    channel: pick(CHANNELS),
    org: random() < 0.7 ? undefined : `org-${i % 20}`,
  }));
  const bodies = [];
  const invocations = [];
  const now = Date.now();
  for (let i = 0; i < size; i += 1) {
    const machine = pick(machines);
    const n = batchSize(random);
    const batch = Array.from({ length: n }, () => invocation(random, machine));
    const endMs = now - Math.floor(random() * 5_000);
    bodies.push(JSON.stringify(batchRequest({ serviceName, startMs: endMs - 30_000 - Math.floor(random() * 600_000), endMs, invocations: batch })));
    invocations.push(n);
  }
  return { bodies, invocations, meanInvocations: invocations.reduce((a, b) => a + b, 0) / size };
}

/**
 * Requests whose every data point is a new attribute set (a distinct
 * cli.org.id per point), `perRequest` sets each: for filling the gateway to a
 * given number of live series.
 */
export function distinctSetRequest({ serviceName, firstSet, perRequest }) {
  const endMs = Date.now();
  const invocations = Array.from({ length: perRequest }, (_, i) => ({
    attributes: {
      'cli.command': COMMANDS[i % COMMANDS.length][0],
      'cli.outcome': 'ok',
      'process.exit.code': 0,
      'os.type': 'linux',
      'service.version': '2.3.1',
      'cli.org.id': `org-${firstSet + i}`,
    },
    durationSeconds: DURATIONS[i % DURATIONS.length],
  }));
  return JSON.stringify(batchRequest({ serviceName, startMs: endMs - 1_000, endMs, invocations }));
}
