// A host CLI that already runs OpenTelemetry: cmdtel records on the host's
// MeterProvider (given, or the global one when asked), builds no pipeline,
// never shuts the host down, and hard opt-outs still win. This file also runs
// unchanged in fresh projects on the sdk-metrics 2.x and 3.x lines (test/compat).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { CmdtelOptionsError, createTelemetry, DURATION_BUCKETS_SECONDS, DURATION_METRIC, INVOCATIONS_METRIC } from 'cmdtel';
import { statusText } from 'cmdtel/user-controls';

function createHost() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // A long interval: the test exports by forceFlush, as a host does at exit.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  const hostCounter = provider.getMeter('host-cli').createCounter('host.requests');
  return { exporter, provider, hostCounter };
}

/** Every metric in the host's export, flattened: [{ scope, name, descriptor, dataPoints }]. */
async function exported(host) {
  await host.provider.forceFlush();
  return host.exporter
    .getMetrics()
    .flatMap((rm) =>
      rm.scopeMetrics.flatMap((sm) =>
        sm.metrics.map((m) => ({ scope: sm.scope.name, name: m.descriptor.name, descriptor: m.descriptor, dataPoints: m.dataPoints })),
      ),
    );
}

const configDir = () => mkdtempSync(join(tmpdir(), 'cmdtel-host-'));

test("records cmdtel's two instruments on the host's provider, once each, with the documented buckets", async () => {
  const host = createHost();
  const telemetry = createTelemetry({ name: 'hostcli', version: '3.2.1', meterProvider: host.provider, env: {}, configDir: configDir() });
  assert.equal(telemetry.enabled, true);
  assert.equal(telemetry.status.reason, 'host-meter-provider');
  telemetry.start({ command: 'deploy', subcommand: 'app' }).end({ exitCode: 0 });
  telemetry.start({ command: 'deploy', subcommand: 'app' }).end({ exitCode: 0 });
  telemetry.start({ command: 'deploy', subcommand: 'app' }).end({ exitCode: 2, errorClass: 'auth' });
  host.hostCounter.add(1);
  await telemetry.shutdown();

  const all = await exported(host);
  const ours = all.filter((m) => m.scope === 'cmdtel');
  assert.deepEqual(ours.map((m) => m.name).sort(), [DURATION_METRIC, INVOCATIONS_METRIC].sort(), 'each instrument exactly once');
  const invocations = ours.find((m) => m.name === INVOCATIONS_METRIC);
  const total = invocations.dataPoints.reduce((sum, dp) => sum + dp.value, 0);
  assert.equal(total, 3);
  const failed = invocations.dataPoints.find((dp) => dp.attributes['process.exit.code'] === 2);
  assert.equal(failed.value, 1);
  assert.equal(failed.attributes['error.type'], 'auth');
  assert.equal(failed.attributes['cli.command'], 'deploy');
  const duration = ours.find((m) => m.name === DURATION_METRIC);
  assert.equal(duration.descriptor.unit, 's');
  for (const dp of duration.dataPoints) assert.deepEqual(dp.value.buckets.boundaries, DURATION_BUCKETS_SECONDS);
  assert.equal(
    duration.dataPoints.reduce((sum, dp) => sum + dp.value.count, 0),
    3,
  );
  assert.ok(
    all.some((m) => m.name === 'host.requests'),
    "the host's own metrics are unaffected",
  );
});

test("shutdown() leaves the host's provider running", async () => {
  const host = createHost();
  const telemetry = createTelemetry({ name: 'hostcli', meterProvider: host.provider, env: {}, configDir: configDir() });
  await telemetry.shutdown();
  telemetry.start({ command: 'late' }).end();
  host.hostCounter.add(5);
  const all = await exported(host);
  assert.ok(
    all.some((m) => m.name === INVOCATIONS_METRIC),
    'the host still collects after cmdtel shut down',
  );
  await host.provider.shutdown();
});

test('hard opt-outs win over a host provider', async () => {
  for (const env of [{ DO_NOT_TRACK: '1' }, { HOSTCLI_TELEMETRY_DISABLED: '1' }, { OTEL_SDK_DISABLED: 'true' }]) {
    const host = createHost();
    const telemetry = createTelemetry({ name: 'hostcli', meterProvider: host.provider, env, configDir: configDir() });
    assert.equal(telemetry.enabled, false, JSON.stringify(env));
    telemetry.start({ command: 'deploy' }).end();
    await telemetry.shutdown();
    assert.ok(!(await exported(host)).some((m) => m.scope === 'cmdtel'), JSON.stringify(env));
  }
});

test('useGlobalMeterProvider records on the registered global provider, and is off when none is registered', async () => {
  const none = createTelemetry({ name: 'hostcli', useGlobalMeterProvider: true, env: {}, configDir: configDir() });
  assert.equal(none.enabled, false, 'the no-op global is not a destination');
  assert.equal(none.status.reason, 'meter-provider-unusable');
  assert.match(none.status.meterProviderProblem, /no MeterProvider is registered globally/);

  const host = createHost();
  metrics.setGlobalMeterProvider(host.provider);
  try {
    const telemetry = createTelemetry({ name: 'hostcli', useGlobalMeterProvider: true, env: {}, configDir: configDir() });
    assert.equal(telemetry.enabled, true);
    telemetry.start({ command: 'deploy' }).end();
    await telemetry.shutdown();
    const ours = (await exported(host)).filter((m) => m.scope === 'cmdtel');
    assert.deepEqual(ours.map((m) => m.name).sort(), [DURATION_METRIC, INVOCATIONS_METRIC].sort());
  } finally {
    metrics.disable();
  }
});

test('NodeSDK-style wiring: the global provider after the SDK registered it, passed as meterProvider', async () => {
  const host = createHost();
  metrics.setGlobalMeterProvider(host.provider);
  try {
    const telemetry = createTelemetry({ name: 'hostcli', meterProvider: metrics.getMeterProvider(), env: {}, configDir: configDir() });
    assert.equal(telemetry.status.reason, 'host-meter-provider');
    assert.equal(telemetry.status.meterProviderProblem, undefined);
    telemetry.start({ command: 'deploy' }).end();
    const ours = (await exported(host)).filter((m) => m.scope === 'cmdtel');
    assert.equal(
      ours.find((m) => m.name === INVOCATIONS_METRIC).dataPoints.reduce((sum, dp) => sum + dp.value, 0),
      1,
    );
  } finally {
    metrics.disable();
  }
});

test('a provider given but unusable is named in status, never a silent "off"', () => {
  const cases = [
    // `sdk.meterProvider`: NodeSDK has no such property.
    { label: 'undefined', meterProvider: undefined, problem: /meterProvider is undefined .*metrics\.getMeterProvider\(\)/ },
    { label: 'null', meterProvider: null, problem: /meterProvider is undefined/ },
    // What metrics.getMeterProvider() returns before any SDK registered one.
    { label: "the API's no-op provider", meterProvider: metrics.getMeterProvider(), problem: /no-op MeterProvider/ },
    { label: 'getMeter() returning nothing', meterProvider: { getMeter: () => undefined }, problem: /did not return a Meter/ },
  ];
  for (const { label, meterProvider, problem } of cases) {
    const telemetry = createTelemetry({ name: 'hostcli', meterProvider, env: {}, configDir: configDir() });
    assert.equal(telemetry.enabled, false, label);
    assert.equal(telemetry.status.reason, 'meter-provider-unusable', label);
    assert.match(telemetry.status.meterProviderProblem, problem, label);
    const text = statusText(telemetry.status, 'hostcli');
    assert.match(text, /Telemetry is off: the host program's OpenTelemetry MeterProvider cannot be used/, label);
    assert.match(text, /Host MeterProvider not used: /, label);
  }
  // Not asking for a provider at all is the ordinary "nowhere to send", with no provider problem.
  const plain = createTelemetry({ name: 'hostcli', env: {}, configDir: configDir() });
  assert.equal(plain.status.reason, 'no-destination');
  assert.equal(plain.status.meterProviderProblem, undefined);
});

test('an unusable provider counts as none: an explicit destination still works, and status keeps the problem', () => {
  const env = { HOSTCLI_TELEMETRY_ENABLED: '1', HOSTCLI_TELEMETRY_URL: 'http://127.0.0.1:9/v1/metrics' };
  const telemetry = createTelemetry({ name: 'hostcli', meterProvider: undefined, env, configDir: configDir() });
  assert.equal(telemetry.enabled, true);
  assert.equal(telemetry.status.reason, 'enabled-by-env');
  assert.match(telemetry.status.destination, /^OTLP /);
  assert.match(telemetry.status.meterProviderProblem, /meterProvider is undefined/);
  // Hard opt-outs still come first.
  const optedOut = createTelemetry({ name: 'hostcli', meterProvider: undefined, env: { DO_NOT_TRACK: '1' }, configDir: configDir() });
  assert.equal(optedOut.status.reason, 'do-not-track');
});

test('an object that is not a MeterProvider is a mistake in code: CmdtelOptionsError at construction', () => {
  for (const meterProvider of [{}, { meterProvider: {} }, 42, 'provider', { getMeter: 'no' }]) {
    assert.throws(
      () => createTelemetry({ name: 'hostcli', meterProvider, env: {}, configDir: configDir() }),
      (error) => error instanceof CmdtelOptionsError && /meterProvider/.test(error.message),
      JSON.stringify(meterProvider),
    );
  }
});
