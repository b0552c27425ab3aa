// The gateway-capacity bench's own logic (not its figures): sender-shaped
// requests carry exactly the invocations they claim, the sizing rule, and the
// page splicing that lets the bench rewrite only its section.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SIZING, gatewaysFor, gatewaySection, sizingSection, spliceBetween } from '../../bench/lib/gateway-page.js';
import { batchRequest, distinctSetRequest, requestPool } from '../../bench/lib/gateway-traffic.js';

const metrics = (body) => body.resourceMetrics[0].scopeMetrics[0].metrics;

test('batchRequest: one point per attribute set, counts and buckets add up to the invocations', () => {
  const same = { 'cli.command': 'build', 'cli.outcome': 'ok', 'process.exit.code': 0 };
  const other = { 'cli.command': 'init', 'cli.outcome': 'ok', 'process.exit.code': 0 };
  const body = batchRequest({
    serviceName: 's',
    startMs: 1_000,
    endMs: 2_000,
    invocations: [
      { attributes: same, durationSeconds: 0.004 },
      { attributes: other, durationSeconds: 0.3 },
      { attributes: same, durationSeconds: 12 },
    ],
  });
  const [counter, histogram] = metrics(body);
  assert.equal(counter.sum.aggregationTemporality, 1);
  assert.deepEqual(
    counter.sum.dataPoints.map((p) => p.asInt),
    ['2', '1'],
  );
  assert.deepEqual(
    histogram.histogram.dataPoints.map((p) => p.count),
    ['2', '1'],
  );
  const first = histogram.histogram.dataPoints[0];
  assert.equal(
    first.bucketCounts.reduce((sum, n) => sum + Number(n), 0),
    2,
  );
  assert.equal(first.sum, 12.004);
  assert.deepEqual([first.min, first.max], [0.004, 12]);
});

test('requestPool: every body carries 1-50 invocations and exactly the count it records', () => {
  const pool = requestPool({ serviceName: 'capacity-1', size: 300, seed: 3 });
  assert.equal(pool.bodies.length, 300);
  pool.bodies.forEach((text, i) => {
    const [counter, histogram] = metrics(JSON.parse(text));
    const counted = counter.sum.dataPoints.reduce((sum, p) => sum + Number(p.asInt), 0);
    const histogramCount = histogram.histogram.dataPoints.reduce((sum, p) => sum + Number(p.count), 0);
    assert.equal(counted, pool.invocations[i]);
    assert.equal(histogramCount, pool.invocations[i]);
    assert.ok(pool.invocations[i] >= 1 && pool.invocations[i] <= 50);
  });
  assert.ok(pool.invocations.some((n) => n === 1) && pool.invocations.some((n) => n > 10), 'a mix of single runs and backlogs');
});

test('distinctSetRequest: every point a new attribute set', () => {
  const [counter] = metrics(JSON.parse(distinctSetRequest({ serviceName: 's', firstSet: 100, perRequest: 50 })));
  const orgs = counter.sum.dataPoints.map((p) => p.attributes.find((a) => a.key === 'cli.org.id').value.stringValue);
  assert.equal(new Set(orgs).size, 50);
  assert.equal(orgs[0], 'org-100');
});

test('gatewaysFor: peak rate over the planned share of the measured rate, never fewer than the minimum', () => {
  assert.equal(gatewaysFor(1_000, 2_000), SIZING.minimum);
  // 864M/day is 10,000/s on average, 100,000/s at peak; each gateway planned at 1,000/s.
  assert.equal(gatewaysFor(864_000_000, 2_000), Math.ceil((10_000 * SIZING.peakToAverage) / (2_000 * SIZING.headroom)));
});

test('the sections say when nothing was measured, and mark a quick run', () => {
  assert.match(gatewaySection(undefined), /Not measured yet/);
  assert.match(sizingSection(undefined), /No measured sustained rate/);
  const results = {
    date: '2026-01-01',
    machine: '2 cores',
    configs: ['collector-config/gateway-prometheus.yaml'],
    shape: 'x',
    clients: 4,
    stepSeconds: 1,
    flushInterval: '1s',
    steps: [
      { targetRate: 100, achievedRate: 99, requests: 20, invocations: 99, prometheusTotal: 99, exact: true, non200: 0, p50Ms: 1, p99Ms: 2, gatewayRssMiB: 80 },
    ],
    sustained: { rate: 100, p99Ms: 2 },
    series: [],
    partial: 'a --quick run',
    loadBefore: 1,
    loadAfter: 1,
    elapsedSeconds: 10,
  };
  assert.match(gatewaySection(results), /A small validation run, not a capacity figure/);
  assert.match(gatewaySection(results), /NOT MET/);
  assert.match(sizingSection(results), /small validation run/);
});

test('the memory verdict needs the peak within 512 MiB, every stream held, and the whole state written out', () => {
  const row = {
    streams: 100_000,
    attributeSets: 50_000,
    prometheusSeries: 1_050_000,
    tracked: 100_000,
    non200: 0,
    flushedToSink: true,
    rssMiB: 370,
    peakMiB: 390,
  };
  const results = (series, runtimeEnv) => ({
    date: '2026-01-01',
    machine: '2 cores',
    configs: ['collector-config/gateway.yaml'],
    shape: 'x',
    clients: 4,
    stepSeconds: 1,
    flushInterval: '5s',
    steps: [],
    sustained: null,
    series,
    runtimeEnv,
    loadBefore: 0,
    loadAfter: 0,
    elapsedSeconds: 1,
  });
  const written = { ...row, exportedPoints: 100_000, exportFailedPoints: 0 };
  assert.match(gatewaySection(results([written], { GOMEMLIMIT: '360MiB' })), /≤ 512 MiB: met \|/);
  assert.match(gatewaySection(results([written], { GOMEMLIMIT: '360MiB' })), /ran with `GOMEMLIMIT=360MiB`/);
  const dropped = { ...row, exportedPoints: 55_700, exportFailedPoints: 44_300 };
  assert.match(gatewaySection(results([dropped], {})), /NOT MET \(not all written out\)/);
  assert.match(gatewaySection(results([dropped], {})), /\| 55,700 \(44,300\) \|/);
  assert.match(gatewaySection(results([{ ...written, peakMiB: 600 }], {})), /≤ 512 MiB: NOT MET \|/);
  assert.match(gatewaySection(results([{ ...written, tracked: 90_000 }], {})), /NOT MET \(only 90,000 streams held\)/);
  // Results saved before the export counts existed still render, with a dash.
  assert.match(gatewaySection(results([row], undefined)), /\| — \| 370 \| 390 \| ≤ 512 MiB: met \|/);
});

test('spliceBetween replaces only the marked block, and appends it when the markers are missing', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-splice-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'page.md');
  writeFileSync(file, 'before\n<!-- a -->\nold\n<!-- b -->\nafter\n');
  spliceBetween(file, '<!-- a -->', '<!-- b -->', 'new');
  assert.equal(readFileSync(file, 'utf8'), 'before\n<!-- a -->\nnew\n<!-- b -->\nafter\n');
  writeFileSync(file, 'only text\n');
  spliceBetween(file, '<!-- a -->', '<!-- b -->', 'new', { heading: '## H\n\n' });
  assert.equal(readFileSync(file, 'utf8'), 'only text\n\n## H\n\n<!-- a -->\nnew\n<!-- b -->\n');
});
