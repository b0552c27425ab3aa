// Host programs that run OpenTelemetry the usual way (NodeSDK from @opentelemetry/sdk-node, its
// OTLP exporter on its DEFAULT, cumulative temporality, a periodic reader exporting several times
// per process) record their commands with cmdtel on the SDK's provider and export to the real
// gateway (gateway.yaml + gateway-prometheus.yaml), which remote-writes to a real Prometheus.
//
// - Prometheus holds exactly the invocations the hosts ran, per label set, though every host
//   process sends its own running totals, several times, and half of them with identical resources
//   (OTEL_NODE_RESOURCE_DETECTORS=none: only their start times tell them apart).
// - The hosts' own resource (process.command_args with a sentinel, process.pid, host.name ...)
//   reaches the gateway and is stripped there: no host_/process_ label, no sentinel in Prometheus.
// - Control: the same hosts against the gateway without its cumulative_to_delta step get 200 and
//   nothing in Prometheus (the silent drop this test exists to prevent).
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, startCollector } from './harness/collector.js';
import { byKey, labelKey } from './harness/expect.js';
import { runPool, runProcess, waitFor } from './harness/process.js';
import { startPrometheus } from './harness/prometheus.js';

const HOST = join(ROOT, 'test', 'fixtures', 'node-sdk-host.js');
const TOKEN = 'host-e2e-token';
const SENTINEL = 'SENTINEL-host-argv-5150';
const HOSTS = 8;
const CONCURRENCY = 4;
const RUNS_PER_HOST = 12;
const FAIL_EVERY = 4;
const KEY_LABELS = ['cli_command', 'cli_subcommand', 'cli_outcome', 'process_exit_code', 'error_type'];
const SELECTOR = '{service_name="hostapp"}';
/** The labels cmdtel's series may carry in Prometheus; anything else came from somewhere else. */
const ALLOWED_LABELS = new Set([
  '__name__',
  'job',
  'instance',
  'service_name',
  'le',
  'otel_scope_name',
  'otel_scope_version',
  'cli_command',
  'cli_subcommand',
  'cli_outcome',
  'process_exit_code',
  'error_type',
  'cli_channel',
  'os_type',
  'service_version',
  'cli_org_id',
  'cli_caller_type',
  'cli_caller_name',
]);

const OK_KEY = labelKey({ cli_command: 'deploy', cli_subcommand: 'app', cli_outcome: 'ok', process_exit_code: '0' }, KEY_LABELS);
const FAILED_KEY = labelKey(
  { cli_command: 'deploy', cli_subcommand: 'rollback', cli_outcome: 'error', process_exit_code: '3', error_type: 'auth' },
  KEY_LABELS,
);

/** What the hosts ran, per label key (the fixture: every FAIL_EVERY-th command fails with 3 / auth). */
function expectedCounts(hosts) {
  const failed = Math.floor(RUNS_PER_HOST / FAIL_EVERY) * hosts;
  return { [OK_KEY]: RUNS_PER_HOST * hosts - failed, [FAILED_KEY]: failed };
}

/** One NodeSDK host process: its exporter from the OTEL_* environment, temporality left at its default. */
async function runHost(collector, index) {
  const env = {
    ...Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_') && !key.startsWith('HOSTAPP_') && key !== 'DO_NOT_TRACK' && key !== 'TRACEPARENT'),
    ),
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${collector.otlpUrl}/v1/metrics`,
    OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer ${TOKEN}`,
    // Several exports per process: each one re-sends the running totals.
    OTEL_METRIC_EXPORT_INTERVAL: '250',
    OTEL_LOGS_EXPORTER: 'none',
    // Half of the hosts with no resource detectors: identical resources in every process.
    ...(index % 2 === 1 ? { OTEL_NODE_RESOURCE_DETECTORS: 'none' } : {}),
  };
  const args = [HOST, 'get-meter-provider', String(RUNS_PER_HOST), `--fail-every=${FAIL_EVERY}`, '--gap-ms=80', `--note=${SENTINEL}`];
  const result = await runProcess(process.execPath, args, { env, cwd: ROOT, timeoutMs: 60_000 });
  assert.equal(result.code, 0, `host ${index} exited ${result.code}:\n${result.stderr}`);
  const report = JSON.parse(result.stdout.trim().split('\n').at(-1));
  assert.equal(report.status.reason, 'host-meter-provider', `host ${index}`);
  assert.equal(report.invocations.length, RUNS_PER_HOST);
  return report;
}

/** Cumulative-temporality points of cli.command.invocations in an OTLP/JSON-lines audit file, and the resource keys seen. */
function audit(text) {
  let cumulativePoints = 0;
  const resourceKeys = new Set();
  for (const line of text.split('\n').filter(Boolean)) {
    for (const rm of JSON.parse(line).resourceMetrics ?? []) {
      for (const attribute of rm.resource?.attributes ?? []) resourceKeys.add(attribute.key);
      for (const sm of rm.scopeMetrics ?? []) {
        for (const metric of sm.metrics ?? []) {
          if (metric.name === 'cli.command.invocations' && metric.sum?.aggregationTemporality === 2) cumulativePoints += metric.sum.dataPoints.length;
        }
      }
    }
  }
  return { cumulativePoints, resourceKeys };
}

async function startGateway(dir, prom, { withoutCumulativeToDelta = false } = {}) {
  const args = withoutCumulativeToDelta
    ? [
        '--set=service::pipelines::metrics::processors=[memory_limiter,filter/allowlist,transform/privacy,batch/serialize,transform/clock,delta_to_cumulative,interval,transform/stamp,batch/split]',
      ]
    : [];
  return startCollector({
    config: 'gateway-prometheus',
    overlays: [join(ROOT, 'test', 'e2e', 'fixtures', 'audit-overlay.yaml')],
    args,
    env: {
      CMDTEL_COLLECTOR_TOKENS: `[${TOKEN}]`,
      CMDTEL_PROMETHEUS_RW_URL: prom.remoteWriteUrl,
      CMDTEL_FLUSH_INTERVAL: '1s',
      CMDTEL_AUDIT_RECEIVED_FILE: join(dir, 'received.jsonl'),
      CMDTEL_AUDIT_SENT_FILE: join(dir, 'sent.jsonl'),
    },
  });
}

describe('NodeSDK hosts on their default (cumulative) temporality, through the gateway into Prometheus', () => {
  let dir;
  let prom;
  let collector;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cmdtel-host-e2e-'));
    prom = await startPrometheus();
    collector = await startGateway(dir, prom);
  });
  after(async () => {
    await collector?.stop();
    await prom?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test(`${HOSTS} host processes × ${RUNS_PER_HOST} commands: Prometheus counts exactly what ran; the hosts' resource stays out`, {
    timeout: 5 * 60_000,
  }, async (t) => {
    const reports = await runPool(
      Array.from({ length: HOSTS }, (_, index) => () => runHost(collector, index)),
      CONCURRENCY,
    );
    const want = expectedCounts(HOSTS);
    t.diagnostic(`${reports.length} host processes, ${HOSTS * RUNS_PER_HOST} commands: ${JSON.stringify(want)}`);

    const by = `sum by (${KEY_LABELS.join(', ')})`;
    const counts = async (selector) => byKey(await prom.query(`${by} (${selector})`), KEY_LABELS);
    const got = await waitFor(
      async () => {
        const now = await counts(`cli_command_invocations_total${SELECTOR}`);
        return JSON.stringify(now) === JSON.stringify(want) ? now : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: "Prometheus to count the hosts' commands" },
    ).catch(async (error) => {
      assert.deepEqual(await counts(`cli_command_invocations_total${SELECTOR}`), want, error.message);
      throw error;
    });
    assert.deepEqual(got, want);
    for (const [key, n] of Object.entries(got)) t.diagnostic(`Prometheus ${key}: ${n}`);
    // Two more flush windows: the totals must stay exact, not grow as the hosts' re-sent totals are re-read.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    assert.deepEqual(await counts(`cli_command_invocations_total${SELECTOR}`), want, 'still exact after further flushes');
    // The histogram's series may trail the counter's by a flush (once in CI, one of 24 points was
    // missing 2.5 s after the counter was exact, and arrived later or not: the wait tells which). A
    // point that never arrives still fails here; how long it took is in the diagnostics.
    for (const [selector, what] of [
      [`cli_command_duration_seconds_count${SELECTOR}`, 'histogram counts equal the commands'],
      ['cli_command_duration_seconds_bucket{service_name="hostapp", le="+Inf"}', 'the +Inf buckets equal the commands'],
    ]) {
      const waitedFrom = Date.now();
      await waitFor(async () => JSON.stringify(await counts(selector)) === JSON.stringify(want), { timeoutMs: 15_000, intervalMs: 250, what }).catch(() => {});
      assert.deepEqual(await counts(selector), want, what);
      if (Date.now() - waitedFrom > 1_000) t.diagnostic(`${what}: exact only after ${Date.now() - waitedFrom} ms more`);
    }

    // The hosts really sent cumulative running totals, several per process, with their own resource.
    const received = audit(await readFile(join(dir, 'received.jsonl'), 'utf8'));
    t.diagnostic(`the gateway received ${received.cumulativePoints} cumulative invocation points`);
    assert.ok(received.cumulativePoints > HOSTS * 2, `several cumulative exports per host (${received.cumulativePoints} points)`);
    for (const key of ['process.pid', 'process.command_args', 'host.name']) assert.ok(received.resourceKeys.has(key), `the hosts' resource carried ${key}`);

    // ... and none of it passed the gateway.
    const sent = audit(await readFile(join(dir, 'sent.jsonl'), 'utf8'));
    assert.deepEqual([...sent.resourceKeys], ['service.name'], 'only service.name leaves the gateway');
    const series = await prom.series(`{__name__=~"cli_.*", service_name="hostapp"}`);
    assert.ok(series.length > 0);
    const labels = new Set(series.flatMap((s) => Object.keys(s)));
    assert.deepEqual(
      [...labels].filter((name) => !ALLOWED_LABELS.has(name) || /^(host|process_(?!exit_code)|telemetry_sdk)/.test(name)),
      [],
      'no host/process label in Prometheus',
    );
    const dump = await prom.dumpAll();
    assert.ok(!dump.includes(SENTINEL), "the sentinel from the hosts' command line is not in Prometheus");
    assert.ok(!dump.includes(hostname()), 'the host name is not in Prometheus');
    for (const { pid } of reports) assert.ok(!new RegExp(`"${pid}"`).test(dump), `pid ${pid} is not a label value in Prometheus`);
  });
});

describe('control: the gateway without cumulative_to_delta', () => {
  let dir;
  let prom;
  let collector;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cmdtel-host-e2e-control-'));
    prom = await startPrometheus();
    collector = await startGateway(dir, prom, { withoutCumulativeToDelta: true });
  });
  after(async () => {
    await collector?.stop();
    await prom?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('answers the same hosts 200 and drops every point: what the step above prevents', { timeout: 2 * 60_000 }, async (t) => {
    await runPool(
      [0, 1].map((index) => () => runHost(collector, index)),
      2,
    );
    const received = audit(
      await waitFor(
        async () => {
          const text = await readFile(join(dir, 'received.jsonl'), 'utf8').catch(() => '');
          return audit(text).cumulativePoints > 0 ? text : undefined;
        },
        { timeoutMs: 10_000, what: 'the received audit file' },
      ),
    );
    t.diagnostic(`received ${received.cumulativePoints} cumulative points`);
    // Three flush windows, then nothing of hostapp may be in Prometheus.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    assert.deepEqual(await prom.query(`cli_command_invocations_total${SELECTOR}`), []);
  });
});
