// The outcomes every framework example CLI (examples/<framework>/cli.js) must record the same way:
// shared by the adapter tests on this Node (test/integrations) and by the compat stage that runs
// the oclif example on @oclif/core 5 under Node 22 (test/compat).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './paths.js';
import { cleanEnv, runNode } from './run-node.js';

export const SENTINEL = 'zq-private-7731';

/** [args, expected exit code per framework, expected event]. */
export const CASES = [
  { name: 'ok', args: ['task', 'add', SENTINEL], exit: { commander: 0, yargs: 0, oclif: 0 }, event: { command: 'task', subcommand: 'add', outcome: 'ok' } },
  {
    name: 'missing argument',
    args: ['task', 'add'],
    exit: { commander: 1, yargs: 1, oclif: 2 },
    event: { command: 'task', subcommand: 'add', outcome: 'error', err_class: 'usage' },
  },
  {
    name: 'invalid option value',
    args: ['task', 'add', 'x', '--priority', '9'],
    exit: { commander: 1, yargs: 1, oclif: 2 },
    event: { command: 'task', subcommand: 'add', err_class: 'usage' },
  },
  {
    name: 'unknown command',
    args: [SENTINEL, 'more'],
    exit: { commander: 1, yargs: 1, oclif: 2 },
    event: { command: '_unknown', outcome: 'error', err_class: 'unknown_command' },
  },
  {
    name: 'unknown subcommand',
    args: ['task', SENTINEL],
    exit: { commander: 1, yargs: 1, oclif: 2 },
    event: { command: 'task', subcommand: '_unknown', err_class: 'unknown_command' },
  },
  {
    name: 'failing command',
    args: ['task', 'done', SENTINEL],
    exit: { commander: 4, yargs: 4, oclif: 4 },
    event: { command: 'task', subcommand: 'done', outcome: 'error', err_class: 'not_found' },
  },
  {
    name: 'failing async command',
    args: ['sync', 'push'],
    exit: { commander: 3, yargs: 3, oclif: 3 },
    event: { command: 'sync', subcommand: 'push', err_class: 'auth' },
  },
  {
    name: 'colon-named command',
    args: ['cache:clear'],
    exit: { commander: 0, yargs: 0, oclif: 0 },
    event: { command: 'cache', subcommand: 'clear', outcome: 'ok' },
  },
  // The user-controls command's own exit codes are the process's and the recorded ones.
  { name: 'telemetry status', args: ['telemetry', 'status'], exit: { commander: 0, yargs: 0, oclif: 0 }, event: { command: 'telemetry', outcome: 'ok' } },
  {
    name: 'telemetry unknown action',
    args: ['telemetry', 'bogus'],
    exit: { commander: 2, yargs: 2, oclif: 2 },
    event: { command: 'telemetry', outcome: 'error' },
  },
];

/**
 * Runs every case through `cli` (one process each, side by side, each with its own sink file) and
 * checks the exit code, the one recorded event, and that what the user typed never reaches the sink.
 * `framework` picks the expected exit codes.
 */
export async function checkEveryOutcome(t, cli, framework) {
  const dir = tempDir(t);
  const results = await Promise.all(
    CASES.map((c, i) => runNode(cli, c.args, { env: cleanEnv({ TASKS_TELEMETRY_FILE: join(dir, `${i}.jsonl`), TASKS_CONFIG_DIR: join(dir, 'cfg') }) })),
  );
  CASES.forEach((c, i) => {
    const { code, stderr } = results[i];
    assert.equal(code, c.exit[framework], `${c.name}: exit code (stderr: ${stderr})`);
    const file = join(dir, `${i}.jsonl`);
    assert.ok(existsSync(file), `${c.name}: an event was written`);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(SENTINEL), `${c.name}: user input never reaches the sink`);
    const lines = text.trim().split('\n');
    assert.equal(lines.length, 1, `${c.name}: exactly one event`);
    const event = JSON.parse(lines[0]);
    assert.equal(event.exit_code, c.exit[framework], `${c.name}: recorded exit code`);
    for (const [key, value] of Object.entries(c.event)) assert.equal(event[key], value, `${c.name}: ${key}`);
  });
}
