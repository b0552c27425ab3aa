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
import { createTelemetry, DURATION_BUCKETS_SECONDS, DURATION_METRIC, INVOCATIONS_METRIC } from 'cmdtel';

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
    .flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => ({ scope: sm.scope.name, name: m.descriptor.name, descriptor: m.descriptor, dataPoints: m.dataPoints }))));
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
  assert.equal(duration.dataPoints.reduce((sum, dp) => sum + dp.value.count, 0), 3);
  assert.ok(all.some((m) => m.name === 'host.requests'), "the host's own metrics are unaffected");
});

test("shutdown() leaves the host's provider running", async () => {
  const host = createHost();
  const telemetry = createTelemetry({ name: 'hostcli', meterProvider: host.provider, env: {}, configDir: configDir() });
  await telemetry.shutdown();
  telemetry.start({ command: 'late' }).end();
  host.hostCounter.add(5);
  const all = await exported(host);
  assert.ok(all.some((m) => m.name === INVOCATIONS_METRIC), 'the host still collects after cmdtel shut down');
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
  assert.equal(none.status.reason, 'no-destination');

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
