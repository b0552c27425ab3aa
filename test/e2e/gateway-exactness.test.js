// The exactness proof for gateway-prometheus.yaml: hand-made OTLP/JSON DELTA requests that
// imitate many concurrent CLI processes reporting the same series — overlapping start times,
// identical end timestamps, requests arriving out of order, a host whose clock is a minute
// behind, counters sent as int and as double, batched points (count > 1) — go through the real
// collector into a real Prometheus, and every counter total, histogram count, bucket and sum in
// Prometheus must equal what was sent.
//
// The control group: the same traffic through the same config minus the serializing batch and
// the clock rewrite (test/e2e/fixtures/naive-overlay.yaml) must lose points, which shows the
// traffic really triggers delta_to_cumulative's drops.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { ROOT, startCollector } from './harness/collector.js';
import { Expected, byKey, toLabels } from './harness/expect.js';
import { cliRequest, postMetrics } from './harness/otlp.js';
import { runPool, waitFor } from './harness/process.js';
import { startPrometheus } from './harness/prometheus.js';

const TOKEN = 'exactness-token';
const KEY_LABELS = ['service_name', 'cli_command', 'cli_subcommand', 'cli_outcome', 'process_exit_code', 'error_type'];
const SERIES = [
  { 'cli.command': 'note', 'cli.subcommand': 'add', 'cli.outcome': 'ok', 'process.exit.code': 0 },
  { 'cli.command': 'note', 'cli.subcommand': 'add', 'cli.outcome': 'error', 'process.exit.code': 2, 'error.type': 'validation' },
  { 'cli.command': 'note', 'cli.subcommand': 'rm', 'cli.outcome': 'error', 'process.exit.code': 1, 'error.type': 'not_found' },
  { 'cli.command': 'sync', 'cli.subcommand': 'push', 'cli.outcome': 'ok', 'process.exit.code': 0 },
  { 'cli.command': 'sync', 'cli.subcommand': 'push', 'cli.outcome': 'error', 'process.exit.code': 3, 'error.type': 'auth' },
  { 'cli.command': '_unknown', 'cli.outcome': 'error', 'process.exit.code': 2, 'error.type': 'usage' },
];
const COMMON = { 'cli.channel': 'e2e', 'os.type': 'linux', 'service.version': '1.4.2' };
const DURATIONS = [0.003, 0.02, 0.07, 0.3, 1.5, 4, 45];

/** A seeded PRNG (mulberry32), so a failure can be replayed. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Builds the traffic: `waves` waves of `perWave` requests. In a wave, groups of 10 requests share
 * one end timestamp, start times spread over the 3 s before it, and the whole wave is shuffled
 * (late arrivals). Wave 1 comes from a host whose clock is 60 s behind (older timestamps than
 * wave 0). Each request carries 1..3 series, some with count > 1, 1 in 5 with double counters.
 */
function buildTraffic({ seed, waves, perWave, serviceName }) {
  const random = prng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const expected = new Expected(KEY_LABELS);
  const plan = [];
  const base = Date.now();
  for (let wave = 0; wave < waves; wave += 1) {
    const waveBase = base + wave * 1_000 - (wave === 1 ? 60_000 : 0);
    const requests = [];
    for (let i = 0; i < perWave; i += 1) {
      const endMs = waveBase + Math.floor(i / 10);
      const startMs = endMs - 5 - Math.floor(random() * 3_000);
      const chosen = new Set();
      const n = 1 + Math.floor(random() * 3);
      while (chosen.size < n) chosen.add(Math.floor(random() * SERIES.length));
      const invocations = [...chosen].map((index) => {
        const attributes = { ...SERIES[index], ...COMMON };
        const durationSeconds = pick(DURATIONS);
        const count = random() < 0.2 ? 2 + Math.floor(random() * 3) : 1;
        expected.add({ service_name: serviceName, ...toLabels(attributes) }, durationSeconds, count);
        return { attributes, durationSeconds, count };
      });
      requests.push(
        cliRequest({
          serviceName,
          startMs,
          endMs,
          invocations,
          counterAsDouble: random() < 0.2,
          // what a real SDK adds, per process: must not split the series
          resourceAttributes: { 'process.pid': 10_000 + wave * perWave + i, 'host.name': `host-${i % 7}` },
        }),
      );
    }
    for (let i = requests.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [requests[i], requests[j]] = [requests[j], requests[i]];
    }
    plan.push(requests);
  }
  return { plan, expected };
}

/** Sends the waves (each with `concurrency` requests in flight), pausing between waves. */
async function send(collector, plan, concurrency) {
  for (const requests of plan) {
    const results = await runPool(
      requests.map((body) => () => postMetrics(collector.otlpUrl, body, { token: TOKEN })),
      concurrency,
    );
    const failed = results.filter((r) => r.status !== 200);
    assert.equal(failed.length, 0, `rejected requests: ${JSON.stringify(failed.slice(0, 3))}`);
    await new Promise((resolve) => setTimeout(resolve, 700));
  }
}

/** delta_to_cumulative's own count of refused points (by cause), from the collector's metrics. */
async function d2cDrops(collector) {
  const text = await collector.internalMetrics();
  let drops = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('otelcol_deltatocumulative_datapoints{') && /error="/.test(line)) drops += Number(line.split(' ').pop());
  }
  return drops;
}

async function promTotals(prom, serviceName) {
  const sel = `{service_name="${serviceName}"}`;
  const [invocations, counts, buckets, sums] = await Promise.all([
    prom.query(`cli_command_invocations_total${sel}`),
    prom.query(`cli_command_duration_seconds_count${sel}`),
    prom.query(`cli_command_duration_seconds_bucket${sel}`),
    prom.query(`cli_command_duration_seconds_sum${sel}`),
  ]);
  return {
    invocations: byKey(invocations, KEY_LABELS),
    counts: byKey(counts, KEY_LABELS),
    buckets: byKey(buckets, KEY_LABELS, { withLe: true }),
    sums: byKey(sums, KEY_LABELS),
  };
}

describe('gateway-prometheus: exact delta to cumulative under concurrent senders', () => {
  let prom;
  before(async () => {
    prom = await startPrometheus();
  });
  after(async () => {
    await prom?.stop();
  });

  test('every count, bucket and sum in Prometheus equals what the concurrent senders sent', async (t) => {
    const serviceName = 'exact';
    const { plan, expected } = buildTraffic({ seed: 20261126, waves: 3, perWave: 200, serviceName });
    const collector = await startCollector({
      config: 'gateway-prometheus',
      env: { CMDTEL_COLLECTOR_TOKENS: `[${TOKEN}]`, CMDTEL_PROMETHEUS_RW_URL: prom.remoteWriteUrl, CMDTEL_FLUSH_INTERVAL: '1s' },
    });
    try {
      await send(collector, plan, 40);
      const want = expected.invocations();
      const got = await waitFor(
        async () => {
          const totals = await promTotals(prom, serviceName);
          return JSON.stringify(totals.invocations) === JSON.stringify(want) && JSON.stringify(totals.buckets) === JSON.stringify(expected.cumulativeBuckets())
            ? totals
            : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 500, what: 'Prometheus to hold the expected totals' },
      ).catch(async (error) => {
        const totals = await promTotals(prom, serviceName);
        assert.deepEqual(totals.invocations, want, `${error.message}; collector drops: ${await d2cDrops(collector)}`);
        throw error;
      });
      assert.deepEqual(got.invocations, want);
      assert.deepEqual(got.counts, expected.counts());
      assert.deepEqual(got.buckets, expected.cumulativeBuckets());
      for (const [key, sum] of Object.entries(expected.sums())) {
        assert.ok(Math.abs(got.sums[key] - sum) < 1e-6 * Math.max(1, sum), `sum for ${key}: ${got.sums[key]} != ${sum}`);
      }
      assert.equal(await d2cDrops(collector), 0, 'delta_to_cumulative refused no point');
      const total = expected.total();
      t.diagnostic(`${plan.flat().length} requests, ${total} invocations in ${expected.series.size} series: all counted`);
      const [sumAll] = await prom.query(`sum(cli_command_invocations_total{service_name="${serviceName}"})`);
      assert.equal(sumAll.value, total);
    } finally {
      await collector.stop();
    }
  });

  test('scale-out: two gateways behind a random balancer, each labelling its own series, sum exactly', async (t) => {
    const serviceName = 'scaleout';
    const { plan, expected } = buildTraffic({ seed: 7, waves: 2, perWave: 200, serviceName });
    const env = { CMDTEL_COLLECTOR_TOKENS: `[${TOKEN}]`, CMDTEL_PROMETHEUS_RW_URL: prom.remoteWriteUrl, CMDTEL_FLUSH_INTERVAL: '1s' };
    // The documented way to run several gateways: each one's series carry its own `gateway` label.
    const gateways = await Promise.all(
      ['gw-1', 'gw-2'].map((id) =>
        startCollector({ config: 'gateway-prometheus', env, args: [`--set=exporters::prometheus_remote_write::external_labels::gateway=${id}`] }),
      ),
    );
    try {
      const random = prng(99);
      for (const requests of plan) {
        const results = await runPool(
          requests.map((body) => () => postMetrics(gateways[random() < 0.5 ? 0 : 1].otlpUrl, body, { token: TOKEN })),
          40,
        );
        assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
      }
      const keyed = `sum by (${KEY_LABELS.join(', ')})`;
      const want = expected.invocations();
      const got = await waitFor(
        async () => {
          const rows = byKey(await prom.query(`${keyed} (cli_command_invocations_total{service_name="${serviceName}"})`), KEY_LABELS);
          return JSON.stringify(rows) === JSON.stringify(want) ? rows : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 500, what: 'the two gateways to sum to the expected totals' },
      ).catch(async (error) => {
        const rows = byKey(await prom.query(`${keyed} (cli_command_invocations_total{service_name="${serviceName}"})`), KEY_LABELS);
        assert.deepEqual(rows, want, error.message);
        throw error;
      });
      assert.deepEqual(got, want);
      const buckets = byKey(
        await prom.query(`sum by (${KEY_LABELS.join(', ')}, le) (cli_command_duration_seconds_bucket{service_name="${serviceName}"})`),
        KEY_LABELS,
        { withLe: true },
      );
      assert.deepEqual(buckets, expected.cumulativeBuckets());
      const perGateway = await prom.query(`sum by (gateway) (cli_command_invocations_total{service_name="${serviceName}"})`);
      assert.deepEqual(perGateway.map((row) => row.metric.gateway).sort(), ['gw-1', 'gw-2']);
      t.diagnostic(`per gateway: ${perGateway.map((row) => `${row.metric.gateway}=${row.value}`).join(', ')}; total ${expected.total()}`);
      for (const gateway of gateways) assert.equal(await d2cDrops(gateway), 0);
    } finally {
      await Promise.all(gateways.map((gateway) => gateway.stop()));
    }
  });

  test('control: without the serializing batch and clock rewrite, the same traffic loses points', async (t) => {
    const serviceName = 'naive';
    const { plan, expected } = buildTraffic({ seed: 20261126, waves: 3, perWave: 200, serviceName });
    const collector = await startCollector({
      config: 'gateway-prometheus',
      overlays: [join(ROOT, 'test', 'e2e', 'fixtures', 'naive-overlay.yaml')],
      env: { CMDTEL_COLLECTOR_TOKENS: `[${TOKEN}]`, CMDTEL_PROMETHEUS_RW_URL: prom.remoteWriteUrl, CMDTEL_FLUSH_INTERVAL: '1s' },
    });
    try {
      await send(collector, plan, 40);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const drops = await d2cDrops(collector);
      const [sumAll] = await prom.query(`sum(cli_command_invocations_total{service_name="${serviceName}"})`);
      const seen = sumAll?.value ?? 0;
      t.diagnostic(`naive pipeline: ${drops} points refused by delta_to_cumulative; Prometheus total ${seen} of ${expected.total()}`);
      assert.ok(drops > 0, 'the traffic must trigger delta_to_cumulative drops without the fix');
      assert.ok(seen < expected.total(), 'and Prometheus must miss counts');
    } finally {
      await collector.stop();
    }
  });
});
