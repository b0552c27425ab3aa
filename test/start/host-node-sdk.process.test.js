// A real host process that starts OpenTelemetry with NodeSDK (test/fixtures/node-sdk-host.js):
// the documented wirings record exactly on the SDK's provider; the old `sdk.meterProvider` wiring
// is visible in status and debug output instead of silently off; inside the host's active span,
// invocation.traceId is that span's trace id, then TRACEPARENT, then a fresh one.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';

const HOST = join(repoRoot, 'test', 'fixtures', 'node-sdk-host.js');
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

async function runHost(args, env = {}) {
  // OTEL_LOGS_EXPORTER / OTEL_TRACES_EXPORTER: nothing of the SDK's other signals leaves the process.
  const run = await runNode(HOST, args, { env: cleanEnv({ HOST_EXPORT: 'memory', OTEL_LOGS_EXPORTER: 'none', ...env }), timeoutMs: 30_000 });
  assert.equal(run.code, 0, run.stderr);
  return { ...JSON.parse(run.stdout.trim().split('\n').at(-1)), stderr: run.stderr };
}

test('NodeSDK: metrics.getMeterProvider() after sdk.start() and useGlobalMeterProvider both record every invocation', async () => {
  for (const wiring of ['get-meter-provider', 'global']) {
    const host = await runHost([wiring, '7', '--fail-every=3']);
    assert.equal(host.status.enabled, true, wiring);
    assert.equal(host.status.reason, 'host-meter-provider', wiring);
    assert.equal(host.status.meterProviderProblem, undefined, wiring);
    assert.equal(host.exported, 7, `${wiring}: the SDK exported exactly the 7 invocations`);
  }
});

test('NodeSDK: `meterProvider: sdk.meterProvider` (undefined) is named in status and debug output, not silently off', async () => {
  const host = await runHost(['sdk-property', '3'], { HOSTAPP_TELEMETRY_DEBUG: '1' });
  assert.equal(host.status.enabled, false);
  assert.equal(host.status.reason, 'meter-provider-unusable');
  assert.match(host.status.meterProviderProblem, /meterProvider is undefined .*metrics\.getMeterProvider\(\)/);
  assert.match(host.stderr, /cmdtel debug: telemetry off \(meter-provider-unusable\): host MeterProvider not used: meterProvider is undefined/);
  assert.equal(host.exported, 0);
  // Without the debug switch the same run writes nothing on stderr.
  const quiet = await runHost(['sdk-property', '1']);
  assert.equal(quiet.stderr, '');
});

test("NodeSDK: inside the host's active span, invocation.traceId is the span's trace id (over TRACEPARENT)", async () => {
  for (const env of [{}, { TRACEPARENT }]) {
    const host = await runHost(['get-meter-provider', '3', '--span'], env);
    assert.equal(host.invocations.length, 3);
    for (const { traceId, spanTraceId } of host.invocations) {
      assert.match(spanTraceId, /^[0-9a-f]{32}$/);
      assert.notEqual(spanTraceId, '0'.repeat(32), 'the host really had a recording span');
      assert.equal(traceId, spanTraceId, JSON.stringify(env));
    }
    assert.equal(new Set(host.invocations.map((i) => i.traceId)).size, 3, 'each command in its own span, its own trace');
  }
});

test('NodeSDK: outside a span, TRACEPARENT decides, else each invocation gets a fresh id', async () => {
  const inherited = await runHost(['get-meter-provider', '2'], { TRACEPARENT });
  assert.deepEqual(
    inherited.invocations.map((i) => i.traceId),
    ['4bf92f3577b34da6a3ce929d0e0e4736', '4bf92f3577b34da6a3ce929d0e0e4736'],
  );
  const fresh = await runHost(['get-meter-provider', '2']);
  const ids = fresh.invocations.map((i) => i.traceId);
  for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
  assert.notEqual(ids[0], ids[1]);
});
