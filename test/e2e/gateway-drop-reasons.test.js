// The gateway's allowlist of drop reasons keeps step with cmdtel's (docs/delivery.md): the sender's
// `rejected` and `too-large` pass as themselves; anything else is still `_invalid`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCollector } from './harness/collector.js';
import { cliRequest, droppedMetric, postMetrics } from './harness/otlp.js';
import { waitFor } from './harness/process.js';
import { startPrometheus } from './harness/prometheus.js';

const TOKEN = 'drop-reasons-token';
let prom;
let collector;
before(async () => {
  prom = await startPrometheus();
  collector = await startCollector({
    config: 'gateway-prometheus',
    env: { CMDTEL_COLLECTOR_TOKENS: `[${TOKEN}]`, CMDTEL_PROMETHEUS_RW_URL: prom.remoteWriteUrl, CMDTEL_FLUSH_INTERVAL: '1s' },
  });
});
after(async () => {
  await collector?.stop();
  await prom?.stop();
});

test('rejected and too-large are kept as reasons; an unknown reason is _invalid', async () => {
  const now = Date.now();
  const body = cliRequest({
    serviceName: 'reasons',
    startMs: now - 100,
    endMs: now,
    invocations: [],
    extraMetrics: [
      droppedMetric({
        startMs: now - 100,
        endMs: now,
        points: [
          { reason: 'rejected', value: 2 },
          { reason: 'too-large', value: 1 },
          { reason: 'too_large', value: 5 },
        ],
      }),
    ],
  });
  assert.equal((await postMetrics(collector.otlpUrl, body, { token: TOKEN })).status, 200);
  const totals = await waitFor(
    async () => {
      const rows = await prom.query('cli_telemetry_dropped_total{service_name="reasons"}');
      const byReason = Object.fromEntries(rows.map((row) => [row.metric.cli_telemetry_drop_reason, row.value]));
      return byReason.rejected === 2 && byReason['too-large'] === 1 && byReason._invalid === 5 ? byReason : undefined;
    },
    { timeoutMs: 20_000, what: 'the drop counts in Prometheus' },
  );
  assert.deepEqual(totals, { rejected: 2, 'too-large': 1, _invalid: 5 });
});
