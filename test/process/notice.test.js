// The one-time disclosure for a distribution's baked-in default.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startOtlpListener } from '../helpers/otlp-listener.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';
import { fixture, tempDir } from '../helpers/paths.js';

const cli = fixture('telemetry-cli.js');
const NOTICE = /fixture sends anonymous usage telemetry .*\n.*FIXTURE_TELEMETRY_DISABLED=1 \(or DO_NOT_TRACK=1\)/;

async function bakedRun(t, listener, configDir, extra = {}) {
  return runNode(cli, ['doc', '--exit', '0'], {
    env: cleanEnv({ FIXTURE_BAKED_URL: listener.url, FIXTURE_CONFIG_DIR: configDir, FIXTURE_TELEMETRY_DELIVERY: 'inline', ...extra }),
  });
}

test('shown once across two processes, then never again', async (t) => {
  const listener = await startOtlpListener();
  t.after(() => listener.close());
  const configDir = join(tempDir(t), 'config');
  const first = await bakedRun(t, listener, configDir);
  const second = await bakedRun(t, listener, configDir);
  assert.match(first.stderr, NOTICE);
  assert.equal(second.stderr, '');
  assert.ok(existsSync(join(configDir, '.telemetry_notice_shown')));
  assert.equal(listener.requests.length, 2, 'both runs reported');
});

test('not shown when the user opted in or out explicitly, nor for a file sink', async (t) => {
  const listener = await startOtlpListener();
  t.after(() => listener.close());
  const optedIn = await bakedRun(t, listener, join(tempDir(t), 'a'), { FIXTURE_TELEMETRY_ENABLED: '1' });
  const optedOut = await bakedRun(t, listener, join(tempDir(t), 'b'), { DO_NOT_TRACK: '1' });
  const file = await runNode(cli, ['doc'], { env: cleanEnv({ FIXTURE_CONFIG_DIR: join(tempDir(t), 'c'), FIXTURE_TELEMETRY_FILE: join(tempDir(t), 'e.jsonl') }) });
  assert.equal(optedIn.stderr, '');
  assert.equal(optedOut.stderr, '');
  assert.equal(file.stderr, '');
});

test('an unwritable config dir costs nothing and crashes nothing', async (t) => {
  // Tests may run as root, for whom permission bits do not block writes; a
  // path below a regular file (ENOTDIR) fails for everyone.
  const listener = await startOtlpListener();
  t.after(() => listener.close());
  const blocker = join(tempDir(t), 'not-a-dir');
  writeFileSync(blocker, '');
  const configDir = join(blocker, 'config');
  const first = await bakedRun(t, listener, configDir);
  const second = await bakedRun(t, listener, configDir);
  assert.equal(first.code, 0);
  assert.equal(second.code, 0);
  assert.match(first.stderr, NOTICE);
  assert.match(second.stderr, NOTICE, 'without a marker the notice shows again rather than never');
  assert.equal(listener.requests.length, 2);
});
