// The whole path with the real demo CLI: `notes` (examples/notes/cli.js, instrumented with
// cmdtel) run 200 times, 20 at a time, mixed commands and outcomes, each process sending its own
// OTLP request to the real collector (gateway-prometheus.yaml), which remote-writes to a real
// Prometheus. Prometheus must hold exactly what was run: invocation counts and histogram counts
// per command, subcommand, outcome, exit code and error type. A sentinel passed as a command
// argument must appear nowhere: not in what the collector received or sent (file exporters of
// test/e2e/fixtures/audit-overlay.yaml), not in its logs, not in Prometheus.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, startCollector } from './harness/collector.js';
import { Expected, byKey } from './harness/expect.js';
import { runPool, runProcess, waitFor } from './harness/process.js';
import { startPrometheus } from './harness/prometheus.js';

const CLI = join(ROOT, 'examples', 'notes', 'cli.js');
const TOKEN = 'cli-e2e-token';
const SENTINEL = 'SENTINEL-c0ffee-4711';
const RUNS = 200;
const CONCURRENCY = 20;
const KEY_LABELS = ['cli_command', 'cli_subcommand', 'cli_outcome', 'process_exit_code', 'error_type'];

/**
 * What the demo CLI does for each kind of invocation (see examples/notes/cli.js): its argv,
 * extra environment, expected exit code and the labels its invocation must produce.
 */
const SCENARIOS = [
  {
    weight: 40,
    args: ['note', 'add', 'buy', 'milk', SENTINEL],
    exit: 0,
    labels: { cli_command: 'note', cli_subcommand: 'add', cli_outcome: 'ok', process_exit_code: '0' },
  },
  {
    weight: 20,
    args: ['note', 'add'],
    exit: 2,
    labels: { cli_command: 'note', cli_subcommand: 'add', cli_outcome: 'error', process_exit_code: '2', error_type: 'validation' },
  },
  { weight: 30, args: ['note', 'list'], exit: 0, labels: { cli_command: 'note', cli_subcommand: 'list', cli_outcome: 'ok', process_exit_code: '0' } },
  {
    weight: 20,
    args: ['note', 'rm', SENTINEL],
    exit: 1,
    labels: { cli_command: 'note', cli_subcommand: 'rm', cli_outcome: 'error', process_exit_code: '1', error_type: 'not_found' },
  },
  {
    weight: 25,
    args: ['sync', 'push'],
    env: { NOTES_TOKEN: 'secret-login' },
    exit: 0,
    labels: { cli_command: 'sync', cli_subcommand: 'push', cli_outcome: 'ok', process_exit_code: '0' },
  },
  {
    weight: 25,
    args: ['sync', 'pull'],
    exit: 3,
    labels: { cli_command: 'sync', cli_subcommand: 'pull', cli_outcome: 'error', process_exit_code: '3', error_type: 'auth' },
  },
  {
    weight: 20,
    args: ['sync', 'pull'],
    env: { NOTES_TOKEN: 'secret-login', NOTES_SYNC_DELAY_MS: '300' },
    exit: 0,
    labels: { cli_command: 'sync', cli_subcommand: 'pull', cli_outcome: 'ok', process_exit_code: '0' },
  },
  { weight: 20, args: [SENTINEL, 'now'], exit: 2, labels: { cli_command: '_unknown', cli_outcome: 'error', process_exit_code: '2', error_type: 'usage' } },
];

/** Invocations in an OTLP/JSON-lines file written by the file exporter. */
function countReceived(text) {
  let total = 0;
  for (const line of text.split('\n').filter(Boolean)) {
    for (const rm of JSON.parse(line).resourceMetrics ?? []) {
      for (const sm of rm.scopeMetrics ?? []) {
        for (const metric of sm.metrics ?? []) {
          if (metric.name !== 'cli.command.invocations') continue;
          for (const dp of metric.sum?.dataPoints ?? []) total += Number(dp.asInt ?? dp.asDouble ?? 0);
        }
      }
    }
  }
  return total;
}

/** The 200 runs in a fixed, interleaved order (a deterministic shuffle). */
function plan() {
  const runs = SCENARIOS.flatMap((scenario) => Array.from({ length: scenario.weight }, () => scenario));
  assert.equal(runs.length, RUNS);
  let seed = 42;
  for (let i = runs.length - 1; i > 0; i -= 1) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [runs[i], runs[j]] = [runs[j], runs[i]];
  }
  return runs;
}

describe('the demo CLI, 200 runs 20 at a time, through the collector into Prometheus', () => {
  let dir;
  let prom;
  let collector;
  before(async () => {
    assert.ok(existsSync(join(ROOT, 'dist', 'start', 'index.js')), 'dist/ is missing: run `npm run build` (npm run test:e2e does)');
    dir = await mkdtemp(join(tmpdir(), 'cmdtel-cli-e2e-'));
    prom = await startPrometheus();
    collector = await startCollector({
      config: 'gateway-prometheus',
      overlays: [join(ROOT, 'test', 'e2e', 'fixtures', 'audit-overlay.yaml')],
      env: {
        CMDTEL_COLLECTOR_TOKENS: `[${TOKEN}]`,
        CMDTEL_PROMETHEUS_RW_URL: prom.remoteWriteUrl,
        CMDTEL_FLUSH_INTERVAL: '1s',
        CMDTEL_AUDIT_RECEIVED_FILE: join(dir, 'received.jsonl'),
        CMDTEL_AUDIT_SENT_FILE: join(dir, 'sent.jsonl'),
      },
    });
  });
  after(async () => {
    await collector?.stop();
    await prom?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('Prometheus counts exactly what ran; the sentinel argument is nowhere', { timeout: 10 * 60_000 }, async (t) => {
    const home = join(dir, 'notes-home');
    const baseEnv = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith('NOTES_') && !key.startsWith('OTEL_') && key !== 'DO_NOT_TRACK'),
    );
    const expected = new Expected(KEY_LABELS);
    const started = Date.now();
    const results = await runPool(
      plan().map((scenario) => async () => {
        const env = {
          ...baseEnv,
          NOTES_TELEMETRY_ENABLED: '1',
          NOTES_TELEMETRY_URL: collector.otlpUrl,
          NOTES_TELEMETRY_TOKEN: TOKEN,
          NOTES_TELEMETRY_DELIVERY: 'inline',
          // 20 Node processes on a small CI machine: give the inline send more than the default
          // 1.5 s, so what is measured is the pipeline, not CPU contention in the CLI.
          NOTES_TELEMETRY_TIMEOUT_MS: '30000',
          NOTES_HOME: home,
          NOTES_CHANNEL: 'e2e',
          ...scenario.env,
        };
        const result = await runProcess(process.execPath, [CLI, ...scenario.args], { env, cwd: ROOT, timeoutMs: 60_000 });
        assert.equal(result.code, scenario.exit, `notes ${scenario.args.join(' ')} exited ${result.code}:\n${result.stderr}`);
        expected.add(scenario.labels, 0);
        return result;
      }),
      CONCURRENCY,
    );
    t.diagnostic(`${results.length} CLI runs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.equal(expected.total(), RUNS);

    const selector = '{service_name="notes", cli_channel="e2e"}';
    const by = `sum by (${KEY_LABELS.join(', ')})`;
    const want = expected.invocations();
    const got = await waitFor(
      async () => {
        const rows = await prom.query(`${by} (cli_command_invocations_total${selector})`);
        const counts = byKey(rows, KEY_LABELS);
        return JSON.stringify(counts) === JSON.stringify(want) ? counts : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: `Prometheus to count the ${RUNS} runs` },
    ).catch(async (error) => {
      const rows = await prom.query(`${by} (cli_command_invocations_total${selector})`);
      const receivedTotal = countReceived(await readFile(join(dir, 'received.jsonl'), 'utf8').catch(() => ''));
      assert.deepEqual(byKey(rows, KEY_LABELS), want, `${error.message}; the collector received ${receivedTotal} invocations`);
      throw error;
    });
    assert.deepEqual(got, want);
    for (const [key, n] of Object.entries(got)) t.diagnostic(`${key}: ${n}`);

    const histogram = byKey(await prom.query(`${by} (cli_command_duration_seconds_count${selector})`), KEY_LABELS);
    assert.deepEqual(histogram, expected.counts(), 'histogram counts equal the runs');
    const inf = byKey(await prom.query(`${by} (cli_command_duration_seconds_bucket${selector.replace('}', ', le="+Inf"}')})`), KEY_LABELS);
    assert.deepEqual(inf, expected.counts(), 'the +Inf buckets equal the runs');
    const [total] = await prom.query(`sum(cli_command_invocations_total${selector})`);
    assert.equal(total.value, RUNS);
    const [slow] = await prom.query(
      `sum(cli_command_duration_seconds_bucket{service_name="notes", cli_command="sync", cli_subcommand="pull", cli_outcome="ok", le="0.25"})`,
    );
    assert.equal(slow.value, 0, 'sync pull with a 300 ms delay never lands at or below 0.25 s');

    // The sentinel: nowhere in what the collector received, sent, logged, or Prometheus holds.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const received = await readFile(join(dir, 'received.jsonl'), 'utf8');
    const sent = await readFile(join(dir, 'sent.jsonl'), 'utf8');
    assert.equal(received.trim().split('\n').length >= 1, true);
    assert.match(received, /cli\.command\.invocations/, 'the audit file did record the requests');
    assert.match(sent, /cli\.command\.invocations/);
    assert.ok(!received.includes(SENTINEL), 'the sentinel is not in any request the CLI sent');
    assert.ok(!sent.includes(SENTINEL), 'nor in anything the collector sent on');
    assert.ok(!collector.logs().includes(SENTINEL), 'nor in the collector log');
    assert.ok(!(await prom.dumpAll()).includes(SENTINEL), 'nor in Prometheus');
    // And the per-process resource attributes are gone after the gateway, kept before it.
    assert.ok(!/telemetry\.sdk|process\.pid|host\.name/.test(sent), 'only service.name survives as a resource attribute');
  });
});
