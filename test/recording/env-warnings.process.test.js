// Bad environment values: one warning naming the variable, then the default.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startOtlpListener } from '../helpers/otlp-listener.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';
import { fixture, tempDir } from '../helpers/paths.js';

const cli = fixture('telemetry-cli.js');

test('each bad value warns once, by name, and the default applies', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'events.jsonl');
  const result = await runNode(cli, ['doc'], {
    env: cleanEnv({
      FIXTURE_CONFIG_DIR: dir,
      FIXTURE_TELEMETRY_FILE: file,
      FIXTURE_TELEMETRY_TIMEOUT_MS: '-5',
      FIXTURE_CHANNEL: 'two words',
      FIXTURE_TELEMETRY_DEBUG: 'loud',
      FIXTURE_TELEMETRY_DELIVERY: 'carrier-pigeon',
    }),
  });
  assert.equal(result.code, 0);
  const warnings = result.stderr.trim().split('\n');
  assert.deepEqual(warnings.map((line) => line.split(':')[1].trim()).sort(), [
    'FIXTURE_CHANNEL',
    'FIXTURE_TELEMETRY_DEBUG',
    'FIXTURE_TELEMETRY_DELIVERY',
    'FIXTURE_TELEMETRY_TIMEOUT_MS',
  ]);
  for (const line of warnings) assert.match(line, /^cmdtel: [A-Z_]+: /);
  assert.ok(!result.stderr.includes('two words'), 'the bad value itself is not echoed (it may be sensitive)');
  const [event] = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.equal(event.channel, undefined, 'channel left out');
});

test('junk ENABLED warns and is ignored; a bad URL warns and nothing is sent', async (t) => {
  const listener = await startOtlpListener();
  t.after(() => listener.close());
  const junk = await runNode(cli, ['doc'], {
    env: cleanEnv({ FIXTURE_CONFIG_DIR: tempDir(t), FIXTURE_TELEMETRY_URL: listener.url, FIXTURE_TELEMETRY_ENABLED: 'maybe' }),
  });
  assert.match(junk.stderr, /^cmdtel: FIXTURE_TELEMETRY_ENABLED: .*ignoring it\n$/);
  const badUrl = await runNode(cli, ['doc', '--status'], {
    env: cleanEnv({ FIXTURE_CONFIG_DIR: tempDir(t), FIXTURE_TELEMETRY_URL: 'localhost:4318', FIXTURE_TELEMETRY_ENABLED: '1' }),
  });
  assert.match(badUrl.stderr, /^cmdtel: FIXTURE_TELEMETRY_URL: is not an http:\/\/ or https:\/\/ URL; ignoring it\n$/);
  assert.deepEqual(JSON.parse(badUrl.stdout), { enabled: false, reason: 'no-destination' });
  assert.equal(listener.requests.length, 0);
});

test('a bad timeout falls back to 1500 ms (visible as the cap on a hanging endpoint)', async (t) => {
  const listener = await startOtlpListener({ mode: 'hang' });
  t.after(() => listener.close());
  const result = await runNode(cli, ['doc'], {
    env: cleanEnv({
      FIXTURE_CONFIG_DIR: tempDir(t),
      FIXTURE_TELEMETRY_URL: listener.url,
      FIXTURE_TELEMETRY_ENABLED: '1',
      FIXTURE_TELEMETRY_DELIVERY: 'inline',
      FIXTURE_TELEMETRY_TIMEOUT_MS: '15ms',
    }),
  });
  assert.match(result.stderr, /FIXTURE_TELEMETRY_TIMEOUT_MS: .*using 1500/);
  assert.ok(result.wallMs > 1400, `waited ${result.wallMs.toFixed(0)} ms: the default timeout, not 15 ms`);
});
