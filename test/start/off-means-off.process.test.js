// Off means off: no file, no connection, and neither zod nor the OpenTelemetry
// SDK is even loaded. On, they load only when needed.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startOtlpListener } from '../helpers/otlp-listener.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';
import { fixture, repoRoot, tempDir } from '../helpers/paths.js';

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
    assert.doesNotMatch(modules, /ci-info/, 'no caller detection: its table lives in the recording stage');
    assert.deepEqual(readdirSync(dir).sort(), ['modules.log']);
  });
}

test('the CI vendor table (bundled ci-info) is in the runtime, never in the module every start loads', () => {
  const index = readFileSync(join(repoRoot, 'dist', 'start', 'index.js'), 'utf8');
  const runtime = readFileSync(join(repoRoot, 'dist', 'recording', 'runtime.cjs'), 'utf8');
  for (const marker of ['GITHUB_ACTIONS', 'TEAMCITY_VERSION', 'CLAUDECODE']) {
    assert.ok(runtime.includes(marker), `${marker} is detected by the runtime`);
    assert.ok(!index.includes(marker), `${marker} is not in dist/start/index.js`);
  }
});

test('off with every agent and CI marker set: still nothing loaded, nothing written', async (t) => {
  const { dir, modules } = await runRecordingModules(t, () => ({
    CLAUDECODE: '1',
    AI_AGENT: 'claude-code_2.0.31_agent',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    FIXTURE_TELEMETRY_URL: 'http://127.0.0.1:9',
  }));
  assert.doesNotMatch(modules, /dist\/recording\/|ci-info|otlp-pipeline|zod/);
  assert.deepEqual(readdirSync(dir).sort(), ['modules.log']);
});

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
  // Who runs it is detected (a script here) without node:tty, which loads net and the stream machinery.
  // (net itself cannot be checked here: the module-recording hook's worker loads it, on or off.)
  assert.match(readFileSync(join(dir, 'events.jsonl'), 'utf8'), /"caller_type":"script"/);
  assert.doesNotMatch(modules, /^NativeModule tty$/m);
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
  const { modules } = await runRecordingModules(t, () => ({
    FIXTURE_TELEMETRY_URL: listener.url,
    FIXTURE_TELEMETRY_ENABLED: '1',
    FIXTURE_TELEMETRY_DELIVERY: 'inline',
  }));
  assert.match(modules, /otlp-pipeline\.cjs/);
  assert.equal(listener.requests.length, 1);
});

/** Runs the fixture from `cwd`, listing every path it checked or read. */
async function runRecordingFs(t, cwd, env) {
  const log = join(tempDir(t), 'fs.log');
  const result = await runNode(fixture('telemetry-cli.js'), ['doc'], {
    cwd,
    nodeArgs: ['--import', fixture('record-fs.js')],
    env: cleanEnv({ FIXTURE_CONFIG_DIR: join(tempDir(t), 'config'), FIXTURE_FS_LOG: log, ...env }),
  });
  assert.equal(result.code, 0, result.stderr);
  return existsSync(log) ? readFileSync(log, 'utf8') : '';
}

test("the project opt-out is looked for only on the way to on: an off run never walks the project's directories", async (t) => {
  const project = tempDir(t);
  mkdirSync(join(project, '.git'));
  mkdirSync(join(project, '.fixture'));
  writeFileSync(join(project, '.fixture', 'telemetry.json'), '{"enabled": false}');
  const deep = join(project, 'a', 'b', 'c');
  mkdirSync(deep, { recursive: true });
  const file = join(tempDir(t), 'events.jsonl');

  const off = await runRecordingFs(t, deep, { FIXTURE_TELEMETRY_URL: 'http://127.0.0.1:9' });
  assert.doesNotMatch(off, /\.fixture|\.git/, 'off: not one look at the project');

  const optedOut = await runRecordingFs(t, deep, { FIXTURE_TELEMETRY_FILE: file });
  assert.ok(!existsSync(file), 'the project opted out: nothing recorded');
  // Bounded: one check per level from the working directory up to the project root, then it stops.
  const looks = optedOut.split('\n').filter((line) => line.includes(project));
  assert.ok(
    looks.some((line) => line.endsWith(join(project, '.fixture', 'telemetry.json'))),
    optedOut,
  );
  assert.ok(looks.length <= 4 * 2 + 2, `${looks.length} looks for a project 3 levels deep:\n${looks.join('\n')}`);
});
