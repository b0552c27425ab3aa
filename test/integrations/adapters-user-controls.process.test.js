// `tasks telemetry status|enable|disable` as a user runs it: the choice is
// saved in the config dir and decides the next process; environment variables still win.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, tempDir } from '../helpers/paths.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';

const cli = join(repoRoot, 'examples', 'commander', 'cli.js');

test('status explains, enable/disable persist, env vars win', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'events.jsonl');
  const env = (extra = {}) => ({ env: cleanEnv({ TASKS_CONFIG_DIR: join(dir, 'cfg'), TASKS_TELEMETRY_URL: 'http://127.0.0.1:9', ...extra }) });

  let run = await runNode(cli, ['telemetry', 'status'], env());
  assert.equal(run.code, 0);
  assert.match(run.stdout, /Telemetry is off: not enabled/);
  assert.match(run.stdout, /Collected: per command/);
  assert.match(run.stdout, /tasks telemetry enable/);

  run = await runNode(cli, ['telemetry', 'enable'], env());
  assert.equal(run.code, 0);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'cfg', 'telemetry.json'), 'utf8')), { enabled: true });
  run = await runNode(cli, ['telemetry', 'status'], env({ TASKS_TELEMETRY_URL: '', TASKS_TELEMETRY_FILE: file }));
  assert.match(run.stdout, /Telemetry is on: you enabled it/);
  assert.match(run.stdout, /Destination: file /);

  // With the env var set, the saved choice does not decide.
  run = await runNode(cli, ['telemetry', 'status'], env({ DO_NOT_TRACK: '1' }));
  assert.match(run.stdout, /Telemetry is off: DO_NOT_TRACK is set/);

  run = await runNode(cli, ['telemetry', 'disable'], env());
  assert.equal(run.code, 0);
  const after = join(dir, 'after-disable.jsonl');
  run = await runNode(cli, ['task', 'add', 'x'], env({ TASKS_TELEMETRY_URL: '', TASKS_TELEMETRY_FILE: after }));
  assert.equal(run.code, 0);
  assert.ok(!existsSync(after), 'a disabled choice stops the file sink');
  run = await runNode(cli, ['task', 'add', 'x'], env({ TASKS_TELEMETRY_URL: '', TASKS_TELEMETRY_FILE: after, TASKS_TELEMETRY_ENABLED: '1' }));
  assert.ok(existsSync(after), 'TASKS_TELEMETRY_ENABLED wins over the saved choice');

  run = await runNode(cli, ['telemetry', 'bogus'], env());
  assert.equal(run.code, 2);
});
