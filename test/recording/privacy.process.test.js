// A sentinel given as an argument, a subcommand, an organisation id with
// spaces, and in an unrelated environment variable never appears in any byte
// sent (OTLP) or written (file sink, debug output).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startOtlpListener } from '../helpers/otlp-listener.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';
import { fixture, notesCli, tempDir } from '../helpers/paths.js';

const SENTINEL = 'sentinel-8c1f2e /home/alice/launch plan.txt';
const SENTINEL_CORE = 'sentinel-8c1f2e';

const invocations = [
  { script: notesCli, args: ['note', 'add', SENTINEL], prefix: 'NOTES', note: 'as a command argument' },
  { script: notesCli, args: ['note', SENTINEL], prefix: 'NOTES', note: 'as an unknown subcommand' },
  { script: notesCli, args: [SENTINEL], prefix: 'NOTES', note: 'as an unknown command' },
  { script: fixture('telemetry-cli.js'), args: ['doc', SENTINEL], prefix: 'FIXTURE', note: 'as the subcommand the CLI passes' },
  { script: fixture('telemetry-cli.js'), args: ['doc', 'x', '--corp', SENTINEL], prefix: 'FIXTURE', note: 'as an organisation id with spaces' },
  { script: fixture('telemetry-cli.js'), args: [SENTINEL_CORE.replace('-', ' ')], prefix: 'FIXTURE', note: 'as the command the CLI passes' },
];

function envFor(t, prefix, destination) {
  const dir = tempDir(t);
  return cleanEnv({
    [`${prefix}_CONFIG_DIR`]: join(dir, 'config'),
    [`${prefix}_TELEMETRY_ENABLED`]: '1',
    [`${prefix}_TELEMETRY_DEBUG`]: '1',
    [`${prefix}_TELEMETRY_DELIVERY`]: 'inline',
    NOTES_HOME: join(dir, 'home'),
    UNRELATED_SECRET: SENTINEL,
    ...destination,
  });
}

function assertClean(bytes, where) {
  assert.ok(bytes.length > 0, `${where}: something was recorded`);
  assert.ok(!bytes.includes(SENTINEL_CORE), `${where} contains the sentinel`);
  assert.ok(!bytes.includes('launch plan') && !bytes.includes('/home/alice'), `${where} contains part of the sentinel`);
}

for (const { script, args, prefix, note } of invocations) {
  test(`sentinel ${note}: not in the OTLP request nor the debug output`, async (t) => {
    const listener = await startOtlpListener();
    t.after(() => listener.close());
    const result = await runNode(script, args, { env: envFor(t, prefix, { [`${prefix}_TELEMETRY_URL`]: listener.url }) });
    assert.equal(listener.requests.length, 1, result.stderr);
    const sent = listener.requests.map((request) => JSON.stringify(request.headers) + request.path + request.body).join('');
    assertClean(sent, 'the OTLP request');
    const debugLines = result.stderr.split('\n').filter((line) => line.startsWith('cmdtel'));
    assertClean(debugLines.join('\n'), 'the debug output');
  });

  test(`sentinel ${note}: not in the file sink`, async (t) => {
    const file = join(tempDir(t), 'events.jsonl');
    await runNode(script, args, { env: envFor(t, prefix, { [`${prefix}_TELEMETRY_FILE`]: file }) });
    assertClean(readFileSync(file, 'utf8'), 'the file sink');
  });
}
