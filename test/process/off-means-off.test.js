// Off means off: no file, no connection, and neither zod nor the OpenTelemetry
// SDK is even loaded. On, they load only when needed.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startOtlpListener } from '../helpers/otlp-listener.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';
import { fixture, tempDir } from '../helpers/paths.js';

/** Runs the fixture CLI, listing every module it loaded (ES modules through a hook, CommonJS from require.cache). */
async function runRecordingModules(t, env) {
  const dir = tempDir(t);
  const log = join(dir, 'modules.log');
  const result = await runNode(fixture('telemetry-cli.js'), ['doc', 'create'], {
    nodeArgs: ['--import', fixture('record-modules.js')],
    env: cleanEnv({ FIXTURE_CONFIG_DIR: join(dir, 'config'), FIXTURE_MODULE_LOG: log, ...env(dir) }),
  });
  assert.equal(result.code, 0, result.stderr);
  return { dir, modules: readFileSync(log, 'utf8') };
}

const offCases = {
  'nothing set': () => ({}),
  'opted out with a destination': (dir) => ({ FIXTURE_TELEMETRY_FILE: join(dir, 'events.jsonl'), FIXTURE_TELEMETRY_DISABLED: '1' }),
  'DO_NOT_TRACK with a baked-in endpoint': () => ({ DO_NOT_TRACK: '1', FIXTURE_BAKED_URL: 'http://127.0.0.1:9' }),
  'URL set but not opted in': () => ({ FIXTURE_TELEMETRY_URL: 'http://127.0.0.1:9' }),
};

for (const [name, env] of Object.entries(offCases)) {
  test(`off (${name}): no file, no config dir, zod and the SDK never loaded`, async (t) => {
    const { dir, modules } = await runRecordingModules(t, env);
    assert.match(modules, /dist\/start\/index\.js/, 'the module log works');
    assert.doesNotMatch(modules, /dist\/recording\/|dist\/delivery\/|@opentelemetry|zod/, 'only the start stage loads');
    assert.deepEqual(readdirSync(dir).sort(), ['modules.log']);
  });
}

test('off: no connection even with an endpoint configured', async (t) => {
  const listener = await startOtlpListener();
  t.after(() => listener.close());
  await runRecordingModules(t, () => ({ FIXTURE_TELEMETRY_URL: listener.url, FIXTURE_TELEMETRY_DISABLED: '1', FIXTURE_TELEMETRY_ENABLED: '1' }));
  assert.equal(listener.requests.length, 0);
});

test('on with the file sink and plain settings: the runtime loads, zod and the SDK do not', async (t) => {
  const { dir, modules } = await runRecordingModules(t, (d) => ({ FIXTURE_TELEMETRY_FILE: join(d, 'events.jsonl'), FIXTURE_TELEMETRY_TIMEOUT_MS: '900' }));
  assert.match(modules, /dist\/recording\/runtime\.cjs/);
  assert.doesNotMatch(modules, /recording\/zod|otlp-pipeline/);
  assert.ok(existsSync(join(dir, 'events.jsonl')));
});

test('a value not in its plain form is judged by zod: loaded, and it accepts or warns', async (t) => {
  const accepted = await runRecordingModules(t, (d) => ({ FIXTURE_TELEMETRY_FILE: join(d, 'events.jsonl'), FIXTURE_TELEMETRY_TIMEOUT_MS: '1.5e3' }));
  assert.match(accepted.modules, /recording\/zod\.cjs/);
  const rejected = await runRecordingModules(t, (d) => ({ FIXTURE_TELEMETRY_FILE: join(d, 'events.jsonl'), FIXTURE_TELEMETRY_TIMEOUT_MS: '15 seconds' }));
  assert.match(rejected.modules, /recording\/zod\.cjs/);
});

test('on with OTLP: the bundled pipeline loads at shutdown', async (t) => {
  const listener = await startOtlpListener();
  t.after(() => listener.close());
  const { modules } = await runRecordingModules(t, () => ({ FIXTURE_TELEMETRY_URL: listener.url, FIXTURE_TELEMETRY_ENABLED: '1', FIXTURE_TELEMETRY_DELIVERY: 'inline' }));
  assert.match(modules, /otlp-pipeline\.js/);
  assert.equal(listener.requests.length, 1);
});
