// runYargs on yargs 16 (no parseAsync, no getInternalMethods), which published CLIs still pin:
// the declared colon-named path, validation failures and late exits recorded as on yargs 17+, and
// an async handler's rejection exits 1 as plain yargs 16 does (yargs 16 swallows it when exitProcess is off).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixture, tempDir } from '../helpers/paths.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';

const CASES = [
  { args: ['db:migrate'], exitCode: 3, event: { command: 'db', subcommand: 'migrate', outcome: 'error', exit_code: 3 } },
  { args: ['db:seed'], exitCode: 1, stderr: /seed failed/, event: { command: 'db', subcommand: 'seed', outcome: 'error', exit_code: 1 } },
  { args: ['db:migrate:status'], exitCode: 0, event: { command: 'db', subcommand: 'migrate.status', outcome: 'ok', exit_code: 0 } },
  { args: ['seed:generate', '--name', 'x'], exitCode: 0, event: { command: 'seed', subcommand: 'generate', outcome: 'ok', exit_code: 0 } },
  { args: ['seed:generate'], exitCode: 1, event: { command: 'seed', subcommand: 'generate', outcome: 'error', err_class: 'usage', exit_code: 1 } },
  { args: ['bogus'], exitCode: 1, event: { command: '_unknown', outcome: 'error', err_class: 'unknown_command', exit_code: 1 } },
  { args: [], exitCode: 1, event: { command: '_root', outcome: 'error', err_class: 'usage', exit_code: 1 } },
  { args: ['--help'], exitCode: 0, event: { command: '_root', outcome: 'ok', exit_code: 0 } },
];

test('runYargs records yargs 16 runs: colon-named paths, validation failures, exits in and after the handler, a rejected handler', async (t) => {
  const dir = tempDir(t);
  for (const [i, c] of CASES.entries()) {
    const file = join(dir, `${i}.jsonl`);
    const result = await runNode(fixture('yargs16-cli.cjs'), c.args, { env: cleanEnv({ Y16_TELEMETRY_FILE: file, Y16_CONFIG_DIR: join(dir, 'cfg') }) });
    assert.equal(result.code, c.exitCode, `exit code of ${c.args.join(' ')}: ${result.stderr}`);
    assert.doesNotMatch(result.stderr, /is not a function/);
    if (c.stderr) assert.match(result.stderr, c.stderr, 'yargs printed the error');
    const events = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(events.length, 1, `one event for ${c.args.join(' ')}`);
    for (const [key, value] of Object.entries(c.event)) assert.equal(events[0][key], value, `${key} of ${c.args.join(' ')}`);
  }
});
