// gateway-prometheus.yaml's front door and privacy boundary, with hand-made OTLP/JSON requests
// sent straight to the real collector, checked in a real Prometheus:
// - a missing, wrong or wrongly-schemed token gets 401 and nothing of it is counted; both
//   configured tokens (rotation) are accepted;
// - attributes outside the allowlist (including cli.trace.id) are gone; values of the wrong shape
//   are replaced by `_invalid`; per-process resource attributes never reach Prometheus, while
//   service.name arrives as service_name; metrics outside the allowlist, or of the wrong type,
//   temporality or buckets, are dropped; a sentinel string sent in all those places appears
//   nowhere in Prometheus;
// - the spool's drop counter cli.telemetry.dropped passes with exactly its one attribute, its
//   reason restricted to age/size/corrupt/overflow/rejected/too-large (else `_invalid`), and its deltas summed exactly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTelemetry } from 'cmdtel';
import { startCollector } from './harness/collector.js';
import { CUMULATIVE, cliRequest, droppedMetric, nanos, otlpAttributes, postMetrics } from './harness/otlp.js';
import { waitFor } from './harness/process.js';
import { startPrometheus } from './harness/prometheus.js';

const NEW_TOKEN = 'token-2026-11';
const OLD_TOKEN = 'token-2026-10';
const SENTINEL = 'SENTINEL-7f3a9c-privacy';
const ALLOWED_LABELS = new Set([
  '__name__',
  'job',
  'le',
  'service_name',
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
  'cli_telemetry_drop_reason',
]);
const ALLOWED_NAMES = new Set([
  'cli_command_invocations_total',
  'cli_command_duration_seconds_bucket',
  'cli_command_duration_seconds_sum',
  'cli_command_duration_seconds_count',
  'cli_telemetry_dropped_total',
]);

/** The command and subcommand cmdtel records when a CLI starts `command`. */
async function recordedNames(command) {
  const dir = mkdtempSync(join(tmpdir(), 'cmdtel-colon-'));
  try {
    const file = join(dir, 'events.jsonl');
    const telemetry = createTelemetry({ name: 'notes', env: { NOTES_TELEMETRY_FILE: file } });
    telemetry.start({ command }).end({ exitCode: 0 });
    await telemetry.shutdown();
    const event = JSON.parse(readFileSync(file, 'utf8'));
    return { command: event.command, subcommand: event.subcommand };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('gateway-prometheus: authentication and the privacy allowlist', () => {
  let prom;
  let collector;
  before(async () => {
    prom = await startPrometheus();
    collector = await startCollector({
      config: 'gateway-prometheus',
      env: {
        CMDTEL_COLLECTOR_TOKENS: `[${NEW_TOKEN}, ${OLD_TOKEN}]`,
        CMDTEL_PROMETHEUS_RW_URL: prom.remoteWriteUrl,
        CMDTEL_FLUSH_INTERVAL: '1s',
      },
    });
  });
  after(async () => {
    await collector?.stop();
    await prom?.stop();
  });

  const ok = (command) => ({ 'cli.command': command, 'cli.outcome': 'ok', 'process.exit.code': 0, 'os.type': 'linux' });

  test('missing, wrong or wrongly-schemed tokens get 401 and are not counted; both rotation tokens work', async () => {
    const now = Date.now();
    const rejected = cliRequest({ startMs: now - 50, endMs: now, invocations: [{ attributes: ok('rejected'), durationSeconds: 0.01 }] });
    const attempts = [
      {},
      { token: 'not-a-token' },
      { token: `${NEW_TOKEN}x` },
      { authorization: `Basic ${NEW_TOKEN}` },
      { authorization: NEW_TOKEN },
      { authorization: `Bearer ${NEW_TOKEN} ${OLD_TOKEN}` },
    ];
    for (const options of attempts) {
      const response = await postMetrics(collector.otlpUrl, rejected, options);
      assert.equal(response.status, 401, `expected 401 for ${JSON.stringify(options)}, got ${response.status} ${response.body}`);
    }
    for (const token of [NEW_TOKEN, OLD_TOKEN]) {
      const accepted = cliRequest({ startMs: now - 50, endMs: now, invocations: [{ attributes: ok('accepted'), durationSeconds: 0.01 }] });
      assert.equal((await postMetrics(collector.otlpUrl, accepted, { token })).status, 200);
    }
    const [accepted] = await waitFor(
      async () => {
        const rows = await prom.query('cli_command_invocations_total{cli_command="accepted"}');
        return rows.length === 1 && rows[0].value === 2 ? rows : undefined;
      },
      { timeoutMs: 20_000, what: 'the two accepted invocations in Prometheus' },
    );
    assert.equal(accepted.value, 2);
    // Let one more flush pass, then: nothing of the rejected requests exists.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.deepEqual(await prom.query('{cli_command="rejected"}'), []);
    const metrics = await collector.internalMetrics();
    const acceptedPoints = metrics
      .split('\n')
      .filter((line) => line.startsWith('otelcol_receiver_accepted_metric_points{'))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
    assert.equal(acceptedPoints, 4, 'the receiver accepted only the two authorized requests (2 points each)');
  });

  test('attributes outside the allowlist, wrong-shaped values and per-process resource attributes never reach Prometheus', async () => {
    const now = Date.now();
    const hostile = cliRequest({
      startMs: now - 500,
      endMs: now,
      resourceAttributes: {
        'host.name': `laptop-of-${SENTINEL}`,
        'process.pid': 4242,
        'process.command_args': `notes note add ${SENTINEL}`,
        'service.instance.id': SENTINEL,
        'user.name': SENTINEL,
      },
      invocations: [
        {
          // allowed keys with hostile values, plus keys that are not allowed at all
          attributes: {
            'cli.command': `note add ${SENTINEL}`,
            'cli.subcommand': 'x'.repeat(65),
            'cli.outcome': 'ok',
            'process.exit.code': 300,
            'os.type': 7,
            'cli.channel': 'e2e',
            'service.version': '1.4.2',
            'cli.org.id': `org/${SENTINEL}`,
            'cli.caller.type': `agent ${SENTINEL}`,
            'cli.caller.name': `claude-code_2.0.31_${SENTINEL}`,
            'cli.trace.id': '0af7651916cd43dd8448eb211c80319c',
            'user.email': `${SENTINEL}@example.com`,
            'cli.args': SENTINEL,
          },
          durationSeconds: 0.2,
        },
        { attributes: { ...ok('shape'), 'error.type': 'has space', 'process.exit.code': '0' }, durationSeconds: 0.05 },
        { attributes: { ...ok('exitneg'), 'process.exit.code': -1 }, durationSeconds: 0.05 },
        { attributes: { ...ok('caller'), 'cli.caller.type': 'robot', 'cli.caller.name': 'Claude Code' }, durationSeconds: 0.05 },
        { attributes: { ...ok('callerok'), 'cli.caller.type': 'ci', 'cli.caller.name': 'github-actions' }, durationSeconds: 0.05 },
      ],
      extraMetrics: [
        // a metric outside the allowlist
        {
          name: 'user.secret',
          unit: '1',
          sum: {
            aggregationTemporality: 1,
            isMonotonic: true,
            dataPoints: [{ attributes: otlpAttributes({ secret: SENTINEL }), startTimeUnixNano: nanos(now - 500), timeUnixNano: nanos(now), asInt: '1' }],
          },
        },
        // the right name with the wrong type
        {
          name: 'cli.command.invocations',
          unit: '{invocation}',
          gauge: { dataPoints: [{ attributes: otlpAttributes(ok(`gauge-${SENTINEL}`)), timeUnixNano: nanos(now), asInt: '5' }] },
        },
      ],
    });
    // exemplars on the histogram point, carrying the sentinel
    hostile.resourceMetrics[0].scopeMetrics[0].metrics[1].histogram.dataPoints[0].exemplars = [
      {
        filteredAttributes: otlpAttributes({ 'enduser.id': SENTINEL }),
        timeUnixNano: nanos(now),
        asDouble: 0.2,
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
      },
    ];
    assert.equal((await postMetrics(collector.otlpUrl, hostile, { token: NEW_TOKEN })).status, 200);

    // cumulative temporality (a host SDK's default): converted to a delta by cumulative_to_delta and
    // counted once (its stream started after the gateway did); histogram points with foreign buckets: dropped
    const cumulative = cliRequest({
      startMs: now - 1,
      endMs: now,
      temporality: CUMULATIVE,
      invocations: [{ attributes: ok('cumulative'), durationSeconds: 0.1 }],
    });
    assert.equal((await postMetrics(collector.otlpUrl, cumulative, { token: NEW_TOKEN })).status, 200);
    const foreignBuckets = cliRequest({ startMs: now - 500, endMs: now, invocations: [{ attributes: ok('buckets'), durationSeconds: 0.1 }] });
    Object.assign(foreignBuckets.resourceMetrics[0].scopeMetrics[0].metrics[1].histogram.dataPoints[0], {
      explicitBounds: [1, 10],
      bucketCounts: ['1', '0', '0'],
    });
    assert.equal((await postMetrics(collector.otlpUrl, foreignBuckets, { token: NEW_TOKEN })).status, 200);

    const rows = await waitFor(
      async () => {
        const result = await prom.query('cli_command_invocations_total{cli_command=~"_invalid|shape|exitneg|buckets|cumulative|caller|callerok"}');
        return result.length === 7 ? result : undefined;
      },
      { timeoutMs: 20_000, what: 'the sanitized series in Prometheus' },
    );
    const byCommand = Object.fromEntries(rows.map((row) => [row.metric.cli_command, row.metric]));
    const { __name__: name, ...invalid } = byCommand._invalid;
    assert.equal(name, 'cli_command_invocations_total');
    assert.deepEqual(invalid, {
      cli_command: '_invalid',
      cli_subcommand: '_invalid',
      cli_outcome: 'ok',
      process_exit_code: '_invalid',
      os_type: '_invalid',
      cli_channel: 'e2e',
      service_version: '1.4.2',
      cli_org_id: '_invalid',
      cli_caller_type: '_invalid',
      cli_caller_name: '_invalid',
      service_name: 'notes',
      job: 'notes',
    });
    assert.deepEqual(
      [byCommand.caller.cli_caller_type, byCommand.caller.cli_caller_name],
      ['_invalid', '_invalid'],
      'not one of the four kinds; not a lowercase name',
    );
    assert.deepEqual([byCommand.callerok.cli_caller_type, byCommand.callerok.cli_caller_name], ['ci', 'github-actions'], "the library's values pass");
    assert.equal(byCommand.shape.error_type, '_invalid');
    assert.equal(byCommand.shape.process_exit_code, '_invalid', 'an exit code sent as a string is not an integer');
    assert.equal(byCommand.exitneg.process_exit_code, '_invalid');
    assert.equal(byCommand.cumulative.__name__, 'cli_command_invocations_total');
    assert.deepEqual(
      (await prom.query('cli_command_invocations_total{cli_command="cumulative"}')).map((row) => row.value),
      [1],
    );
    // the foreign-bucket histogram point is gone, its counter point stays
    assert.deepEqual(await prom.query('cli_command_duration_seconds_count{cli_command="buckets"}'), []);

    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const everything = await prom.dumpAll();
    assert.ok(!everything.includes(SENTINEL), 'the sentinel appears nowhere in Prometheus');
    assert.ok(!everything.includes('0af7651916cd43dd8448eb211c80319c'), 'no trace id reached Prometheus');
    const labelNames = (await prom.series('{__name__=~".+"}')).flatMap((labels) => Object.keys(labels));
    for (const label of labelNames) assert.ok(ALLOWED_LABELS.has(label), `unexpected label ${label}`);
    const names = new Set((await prom.series('{__name__=~".+"}')).map((labels) => labels.__name__));
    for (const metricName of names) assert.ok(ALLOWED_NAMES.has(metricName), `unexpected metric ${metricName}`);
    assert.ok(!everything.includes('host_name') && !everything.includes('process_pid') && !everything.includes('telemetry_sdk'));
  });

  test('the spool drop counter passes with its one attribute, reasons restricted, deltas summed exactly', async () => {
    const now = Date.now();
    const badCumulative = droppedMetric({ startMs: now - 500, endMs: now, points: [{ reason: 'corrupt', value: 50 }] });
    // Cumulative and not monotonic (an up-down counter's shape): not converted, so dropped by the allowlist.
    badCumulative.sum.aggregationTemporality = CUMULATIVE;
    badCumulative.sum.isMonotonic = false;
    const first = cliRequest({
      startMs: now - 500,
      endMs: now,
      // the drop attribute on an invocation is not one of its keys: removed there
      invocations: [{ attributes: { ...ok('drops'), 'cli.telemetry.drop.reason': 'size' }, durationSeconds: 0.01 }],
      extraMetrics: [
        droppedMetric({
          startMs: now - 500,
          endMs: now,
          points: [
            // other keys on a drop point are removed, whether allowlisted elsewhere or not
            { reason: 'size', value: 3, attributes: { 'cli.command': 'drops', 'user.name': SENTINEL } },
            { reason: `free text ${SENTINEL}`, value: 2 },
          ],
        }),
        // the right name with the wrong type, or cumulative: dropped
        {
          name: 'cli.telemetry.dropped',
          unit: '{invocation}',
          gauge: { dataPoints: [{ attributes: otlpAttributes({ 'cli.telemetry.drop.reason': 'age' }), timeUnixNano: nanos(now), asInt: '100' }] },
        },
        badCumulative,
      ],
    });
    assert.equal((await postMetrics(collector.otlpUrl, first, { token: NEW_TOKEN })).status, 200);
    const second = cliRequest({
      startMs: now - 300,
      endMs: now + 100,
      invocations: [{ attributes: ok('drops'), durationSeconds: 0.01 }],
      extraMetrics: [
        droppedMetric({
          startMs: now - 300,
          endMs: now + 100,
          points: [
            { reason: 'size', value: 4, asDouble: true },
            { reason: 'SIZE', value: 1 },
            { reason: 'overflow', value: -5 },
          ],
        }),
        // the right name with another unit: dropped
        { ...droppedMetric({ startMs: now - 300, endMs: now + 100, points: [{ reason: 'age', value: 9 }] }), unit: '1' },
      ],
    });
    assert.equal((await postMetrics(collector.otlpUrl, second, { token: NEW_TOKEN })).status, 200);
    // no reason at all: counted under _invalid, not as a series without the label
    const third = cliRequest({
      startMs: now - 200,
      endMs: now + 200,
      invocations: [],
      extraMetrics: [droppedMetric({ startMs: now - 200, endMs: now + 200, points: [{ value: 1 }] })],
    });
    assert.equal((await postMetrics(collector.otlpUrl, third, { token: NEW_TOKEN })).status, 200);

    const reasonTotals = async () =>
      Object.fromEntries((await prom.query('cli_telemetry_dropped_total')).map((row) => [row.metric.cli_telemetry_drop_reason, row]));
    await waitFor(
      async () => {
        const totals = await reasonTotals();
        const invocations = await prom.query('cli_command_invocations_total{cli_command="drops"}');
        return totals.size?.value >= 7 && totals._invalid?.value >= 4 && invocations[0]?.value >= 2 ? totals : undefined;
      },
      { timeoutMs: 20_000, what: 'the drop counts in Prometheus' },
    );
    // One more flush: the totals stay exact (3 + 4, and 2 + 1 + 1 under _invalid), nothing else arrives.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const totals = await reasonTotals();
    assert.deepEqual(Object.keys(totals).sort(), ['_invalid', 'size'], 'the gauge, non-monotonic cumulative, negative and wrong-unit points are gone');
    assert.equal(totals.size.value, 7);
    assert.equal(totals._invalid.value, 4);
    assert.deepEqual(totals.size.metric, {
      __name__: 'cli_telemetry_dropped_total',
      cli_telemetry_drop_reason: 'size',
      service_name: 'notes',
      job: 'notes',
    });
    const [invocations] = await prom.query('cli_command_invocations_total{cli_command="drops"}');
    assert.equal(invocations.value, 2);
    assert.equal(invocations.metric.cli_telemetry_drop_reason, undefined, 'the drop reason is not an invocation attribute');
    assert.ok(!(await prom.dumpAll()).includes(SENTINEL), 'the sentinel appears nowhere in Prometheus');
  });

  test('a colon-named command, split by cmdtel, passes the allowlist as command and subcommand', async () => {
    // What cmdtel records for `migrate:make` and `a:b:c`, taken from the built library's file sink.
    const make = await recordedNames('migrate:make');
    const deep = await recordedNames('a:b:c');
    assert.deepEqual(
      [make, deep],
      [
        { command: 'migrate', subcommand: 'make' },
        { command: 'a', subcommand: 'b.c' },
      ],
    );
    const now = Date.now();
    const attrs = (input) => ({ ...ok(input.command), 'cli.subcommand': input.subcommand });
    const request = cliRequest({
      startMs: now - 500,
      endMs: now,
      invocations: [
        { attributes: attrs(make), durationSeconds: 0.1 },
        { attributes: attrs(make), durationSeconds: 0.1 },
        { attributes: attrs(deep), durationSeconds: 0.1 },
        // The raw colon name, as a client that does not split would send it: the gateway's pattern marks it.
        { attributes: { ...ok('colon:raw'), 'cli.subcommand': 'x' }, durationSeconds: 0.1 },
      ],
    });
    assert.equal((await postMetrics(collector.otlpUrl, request, { token: NEW_TOKEN })).status, 200);
    const rows = await waitFor(
      async () => {
        const result = await prom.query('cli_command_invocations_total{cli_command=~"migrate|a|_invalid",cli_subcommand=~"make|b\\\\.c|x"}');
        return result.length === 3 ? result : undefined;
      },
      { timeoutMs: 20_000, what: 'the colon-derived series in Prometheus' },
    );
    const got = Object.fromEntries(rows.map((row) => [`${row.metric.cli_command}/${row.metric.cli_subcommand}`, row.value]));
    assert.deepEqual(got, { 'migrate/make': 2, 'a/b.c': 1, '_invalid/x': 1 });
  });
});
