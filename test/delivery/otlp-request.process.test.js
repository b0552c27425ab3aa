// The OTLP request exactly as an endpoint receives it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attributesOf, dataPoints, startOtlpListener } from '../helpers/otlp-listener.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';
import { fixture, tempDir } from '../helpers/paths.js';

const cli = fixture('telemetry-cli.js');

async function runAgainst(t, listener, extraEnv, args) {
  const env = cleanEnv({ FIXTURE_CONFIG_DIR: tempDir(t), FIXTURE_TELEMETRY_DELIVERY: 'inline', ...extraEnv });
  return runNode(cli, args, { env });
}

test('path, bearer token, delta temporality, attribute names, histogram count and sum', async (t) => {
  const listener = await startOtlpListener();
  t.after(() => listener.close());
  const result = await runAgainst(
    t,
    listener,
    {
      FIXTURE_TELEMETRY_URL: listener.url,
      FIXTURE_TELEMETRY_ENABLED: '1',
      FIXTURE_TELEMETRY_TOKEN: 's3cret-token',
      FIXTURE_CHANNEL: 'beta',
    },
    ['doc', 'create_document', '--exit', '3', '--error-class', 'auth', '--corp', 'ding42'],
  );
  assert.equal(result.code, 3, result.stderr);

  assert.equal(listener.requests.length, 1);
  const [request] = listener.requests;
  assert.equal(request.method, 'POST');
  assert.equal(request.path, '/v1/metrics');
  assert.equal(request.headers.authorization, 'Bearer s3cret-token');
  assert.match(request.headers['content-type'], /^application\/json/);

  const [counter] = dataPoints(listener.requests, 'cli.command.invocations');
  const [histogram] = dataPoints(listener.requests, 'cli.command.duration');
  assert.equal(counter.temporality, 1, 'AGGREGATION_TEMPORALITY_DELTA');
  assert.equal(histogram.temporality, 1, 'AGGREGATION_TEMPORALITY_DELTA');
  assert.equal(Number(counter.asInt ?? counter.asDouble), 1);
  assert.equal(Number(histogram.count), 1);
  assert.ok(histogram.sum >= 0 && histogram.sum < 5, `sum ${histogram.sum} is the duration in seconds`);
  assert.deepEqual(histogram.explicitBounds, [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 3, 5, 10, 30, 60, 120, 300]);

  const expected = {
    'cli.command': 'doc',
    'cli.subcommand': 'create_document',
    'cli.outcome': 'error',
    'process.exit.code': 3,
    'error.type': 'auth',
    'cli.channel': 'beta',
    'os.type': 'linux',
    'service.version': '2.0.1',
    // stdin /dev/null, stdout a pipe, no agent or CI variable (cleanEnv): a script.
    'cli.caller.type': 'script',
    'cli.org.id': 'ding42',
  };
  assert.deepEqual(attributesOf(counter), expected);
  assert.deepEqual(attributesOf(histogram), expected);
  const resource = Object.fromEntries(counter.resource.attributes.map(({ key, value }) => [key, value.stringValue]));
  assert.deepEqual(resource, { 'service.name': 'fixture', 'service.version': '2.0.1' }, 'no per-process resource attributes');
});

test('no Authorization header without a token', async (t) => {
  const listener = await startOtlpListener();
  t.after(() => listener.close());
  await runAgainst(t, listener, { FIXTURE_TELEMETRY_URL: listener.url, FIXTURE_TELEMETRY_ENABLED: '1' }, ['doc']);
  assert.equal(listener.requests.length, 1);
  assert.equal(listener.requests[0].headers.authorization, undefined);
});

test('a URL with a path is used exactly; OTEL_EXPORTER_OTLP_ENDPOINT gets /v1/metrics', async (t) => {
  const listener = await startOtlpListener();
  t.after(() => listener.close());
  await runAgainst(t, listener, { FIXTURE_TELEMETRY_URL: `${listener.url}/ingest/otlp`, FIXTURE_TELEMETRY_ENABLED: '1' }, ['doc']);
  await runAgainst(t, listener, { OTEL_EXPORTER_OTLP_ENDPOINT: `${listener.url}/base`, FIXTURE_TELEMETRY_ENABLED: '1' }, ['doc']);
  await runAgainst(
    t,
    listener,
    { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${listener.url}/exact`, OTEL_EXPORTER_OTLP_HEADERS: 'x-team=blue%20team', FIXTURE_TELEMETRY_ENABLED: '1' },
    ['doc'],
  );
  assert.deepEqual(
    listener.requests.map((request) => request.path),
    ['/ingest/otlp', '/base/v1/metrics', '/exact'],
  );
  assert.equal(listener.requests[2].headers['x-team'], 'blue team');
});

test("a baked-in endpoint gets its own token and never the user's OTEL headers", async (t) => {
  const baked = await startOtlpListener();
  t.after(() => baked.close());
  const result = await runAgainst(
    t,
    baked,
    {
      FIXTURE_BAKED_URL: baked.url,
      FIXTURE_BAKED_TOKEN: 'baked-token',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-honeycomb-team=users-own-key',
    },
    ['doc'],
  );
  assert.equal(result.code, 0);
  assert.equal(baked.requests.length, 1);
  assert.equal(baked.requests[0].headers.authorization, 'Bearer baked-token');
  assert.equal(baked.requests[0].headers['x-honeycomb-team'], undefined);
});

test('the environment token replaces the baked-in one', async (t) => {
  const baked = await startOtlpListener();
  t.after(() => baked.close());
  await runAgainst(t, baked, { FIXTURE_BAKED_URL: baked.url, FIXTURE_BAKED_TOKEN: 'baked-token', FIXTURE_TELEMETRY_TOKEN: 'mine' }, ['doc']);
  assert.equal(baked.requests[0].headers.authorization, 'Bearer mine');
});

test('gzip compression from OTEL_EXPORTER_OTLP_COMPRESSION', async (t) => {
  const listener = await startOtlpListener();
  t.after(() => listener.close());
  await runAgainst(t, listener, { FIXTURE_TELEMETRY_URL: listener.url, FIXTURE_TELEMETRY_ENABLED: '1', OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' }, ['doc']);
  assert.equal(listener.requests[0].headers['content-encoding'], 'gzip');
});
