// sls.yaml against a loopback stand-in for Alibaba Cloud SLS (SLS itself cannot be reached from a
// test). The collector keeps its real SLS URL — https is swapped for http only, the host is
// <project>.<endpoint> under a reserved .invalid name — and reaches the stand-in as an HTTP proxy
// (HTTP_PROXY), so the test sees the exact host, path and headers the collector would send to
// SLS. The stand-in decodes the remote-write bodies (snappy + protobuf) and the test checks they
// carry the expected series with exact values, and nothing outside the allowlist.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startCollector } from './harness/collector.js';
import { cliRequest, droppedMetric, postMetrics } from './harness/otlp.js';
import { waitFor } from './harness/process.js';
import { seriesKey, startRemoteWriteSink } from './harness/remote-write.js';

const TOKEN = 'sls-test-token';
const PROJECT = 'cmdtel-e2e';
const ENDPOINT = 'cn-e2e.log.invalid';
const METRICSTORE = 'cli-metrics';
const ACCESS_KEY = { id: 'LTAI-e2e-dummy', secret: 'dummy-secret-value' };
const SENTINEL = 'SENTINEL-5b1e-sls';

describe('sls.yaml: remote write to an SLS Metricstore (loopback stand-in)', () => {
  let sink;
  let collector;
  before(async () => {
    sink = await startRemoteWriteSink();
    collector = await startCollector({
      config: 'sls',
      env: {
        CMDTEL_COLLECTOR_TOKENS: `[${TOKEN}]`,
        CMDTEL_SLS_SCHEME: 'http',
        CMDTEL_SLS_ENDPOINT: ENDPOINT,
        CMDTEL_SLS_PROJECT: PROJECT,
        CMDTEL_SLS_METRICSTORE: METRICSTORE,
        CMDTEL_SLS_BASIC_AUTH: Buffer.from(`${ACCESS_KEY.id}:${ACCESS_KEY.secret}`).toString('base64'),
        CMDTEL_FLUSH_INTERVAL: '1s',
        HTTP_PROXY: sink.url,
        http_proxy: sink.url,
        NO_PROXY: '',
        no_proxy: '',
      },
    });
  });
  after(async () => {
    await collector?.stop();
    await sink?.stop();
  });

  test('requests go to the Metricstore write path with Basic auth and carry the expected series', async () => {
    const now = Date.now();
    const attributes = {
      'cli.command': 'sync',
      'cli.subcommand': 'push',
      'cli.outcome': 'ok',
      'process.exit.code': 0,
      'os.type': 'linux',
      'cli.channel': 'e2e',
      'service.version': '1.4.2',
    };
    const requests = [];
    for (let i = 0; i < 30; i += 1) {
      requests.push(
        cliRequest({
          startMs: now - 1_000 - i * 10,
          endMs: now,
          resourceAttributes: { 'process.pid': 5000 + i, 'host.name': SENTINEL },
          invocations: [
            { attributes: { ...attributes, 'user.id': SENTINEL }, durationSeconds: 0.3 },
            ...(i % 3 === 0
              ? [{ attributes: { ...attributes, 'cli.outcome': 'error', 'process.exit.code': 3, 'error.type': 'auth' }, durationSeconds: 0.06 }]
              : []),
          ],
          // every fifth process also reports 2 invocations its spool dropped
          extraMetrics: i % 5 === 0 ? [droppedMetric({ startMs: now - 1_000 - i * 10, endMs: now, points: [{ reason: 'size', value: 2 }] })] : [],
        }),
      );
    }
    // Who runs it: the library's values pass, others become _invalid (the same rules as the Prometheus gateway).
    requests.push(
      cliRequest({
        startMs: now - 900,
        endMs: now,
        invocations: [
          { attributes: { ...attributes, 'cli.command': 'callerok', 'cli.caller.type': 'agent', 'cli.caller.name': 'claude-code' }, durationSeconds: 0.1 },
          {
            attributes: { ...attributes, 'cli.command': 'callerbad', 'cli.caller.type': `robot-${SENTINEL}`, 'cli.caller.name': 'Claude Code 2.0' },
            durationSeconds: 0.1,
          },
        ],
      }),
    );
    const statuses = await Promise.all(requests.map((body) => postMetrics(collector.otlpUrl, body, { token: TOKEN })));
    assert.deepEqual([...new Set(statuses.map((s) => s.status))], [200]);
    assert.equal((await postMetrics(collector.otlpUrl, requests[0], { token: 'wrong' })).status, 401);

    const okKey = seriesKey({
      __name__: 'cli_command_invocations_total',
      cli_channel: 'e2e',
      cli_command: 'sync',
      cli_outcome: 'ok',
      cli_subcommand: 'push',
      job: 'notes',
      os_type: 'linux',
      process_exit_code: '0',
      service_name: 'notes',
      service_version: '1.4.2',
    });
    const errKey = seriesKey({
      __name__: 'cli_command_invocations_total',
      cli_channel: 'e2e',
      cli_command: 'sync',
      cli_outcome: 'error',
      cli_subcommand: 'push',
      error_type: 'auth',
      job: 'notes',
      os_type: 'linux',
      process_exit_code: '3',
      service_name: 'notes',
      service_version: '1.4.2',
    });
    const droppedKey = seriesKey({
      __name__: 'cli_telemetry_dropped_total',
      cli_telemetry_drop_reason: 'size',
      job: 'notes',
      service_name: 'notes',
    });
    const latest = await waitFor(
      () => {
        const samples = sink.latestSamples();
        const callers = [...samples.values()].filter(
          (s) => s.labels.__name__ === 'cli_command_invocations_total' && /^caller/.test(s.labels.cli_command),
        ).length;
        return samples.get(okKey)?.value === 30 && samples.get(errKey)?.value === 10 && samples.get(droppedKey)?.value === 12 && callers === 2
          ? samples
          : undefined;
      },
      { timeoutMs: 20_000, what: `the stand-in to receive ${okKey} = 30 (got keys: ${[...sink.latestSamples().keys()].slice(0, 5).join(' ')})` },
    );

    // Where and how the collector wrote.
    const good = sink.requests.filter((r) => !r.error);
    assert.ok(good.length > 0);
    assert.deepEqual(
      sink.requests.filter((r) => r.error).map((r) => r.error),
      [],
      'every request decoded',
    );
    for (const request of good) {
      assert.equal(request.method, 'POST');
      const url = new URL(request.url);
      assert.equal(url.host, `${PROJECT}.${ENDPOINT}`);
      assert.equal(url.pathname, `/prometheus/${PROJECT}/${METRICSTORE}/api/v1/write`);
      assert.equal(request.headers.authorization, `Basic ${Buffer.from(`${ACCESS_KEY.id}:${ACCESS_KEY.secret}`).toString('base64')}`);
      assert.equal(request.headers['content-encoding'], 'snappy');
      assert.equal(request.headers['content-type'], 'application/x-protobuf');
      assert.equal(request.headers['x-prometheus-remote-write-version'], '0.1.0');
    }

    // What it wrote: exact totals, histogram consistent, nothing outside the allowlist.
    const histogramCount = (outcome, code) =>
      [...latest.values()].find(
        (s) =>
          s.labels.__name__ === 'cli_command_duration_seconds_count' &&
          s.labels.cli_command === 'sync' &&
          s.labels.cli_outcome === outcome &&
          s.labels.process_exit_code === code,
      )?.value;
    assert.equal(histogramCount('ok', '0'), 30);
    assert.equal(histogramCount('error', '3'), 10);
    const inf = [...latest.values()].find(
      (s) =>
        s.labels.__name__ === 'cli_command_duration_seconds_bucket' &&
        s.labels.cli_command === 'sync' &&
        s.labels.cli_outcome === 'ok' &&
        s.labels.le === '+Inf',
    );
    assert.equal(inf?.value, 30);
    const le025 = [...latest.values()].find(
      (s) =>
        s.labels.__name__ === 'cli_command_duration_seconds_bucket' &&
        s.labels.cli_command === 'sync' &&
        s.labels.cli_outcome === 'ok' &&
        s.labels.le === '0.25',
    );
    assert.equal(le025?.value, 0, '0.3 s lands above the 0.25 bucket');
    const callerOf = (command) => {
      const sample = [...latest.values()].find((s) => s.labels.__name__ === 'cli_command_invocations_total' && s.labels.cli_command === command);
      return [sample?.labels.cli_caller_type, sample?.labels.cli_caller_name, sample?.value];
    };
    assert.deepEqual(callerOf('callerok'), ['agent', 'claude-code', 1]);
    assert.deepEqual(callerOf('callerbad'), ['_invalid', '_invalid', 1]);
    const names = new Set([...latest.values()].map((s) => s.labels.__name__));
    assert.deepEqual([...names].sort(), [
      'cli_command_duration_seconds_bucket',
      'cli_command_duration_seconds_count',
      'cli_command_duration_seconds_sum',
      'cli_command_invocations_total',
      'cli_telemetry_dropped_total',
    ]);
    const allLabels = new Set([...latest.values()].flatMap((s) => Object.keys(s.labels)));
    for (const label of ['host_name', 'process_pid', 'user_id', 'telemetry_sdk_name', 'otel_scope_name']) {
      assert.ok(!allLabels.has(label), `label ${label} must not be sent`);
    }
    const raw = Buffer.concat(sink.requests.map((r) => r.raw)).toString('latin1');
    const decoded = JSON.stringify(sink.requests.map((r) => r.timeseries));
    assert.ok(!decoded.includes(SENTINEL) && !raw.includes(SENTINEL), 'the sentinel is not sent to SLS');
    const credentials = Buffer.from(`${ACCESS_KEY.id}:${ACCESS_KEY.secret}`).toString('base64');
    assert.ok(!collector.logs().includes(ACCESS_KEY.secret) && !collector.logs().includes(credentials), 'the credentials are not logged');
  });
});
