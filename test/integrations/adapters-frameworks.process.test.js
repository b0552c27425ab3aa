// Each framework's example CLI, run as a real process: the command path, exit
// codes and error classes arrive in the file sink; what the user typed for an
// unknown command never does. The yargs example runs twice: on yargs 18 (the
// dev dependency) and on yargs 17 (the major most published CLIs still use).
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { repoRoot, tempDir } from '../helpers/paths.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';

const SENTINEL = 'zq-private-7731';

/** [args, expected exit code per framework, expected event]. */
const CASES = [
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
 * examples/yargs/cli.js as is, in a directory where `yargs` is yargs 17 (the `yargs-17` dev
 * dependency) and `cmdtel` this repository, as a CLI that depends on both would have them.
 */
function yargsExampleOn17(t) {
  const dir = tempDir(t, 'cmdtel-yargs17-');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(repoRoot, 'node_modules', 'yargs-17'), join(dir, 'node_modules', 'yargs'), 'junction');
  symlinkSync(repoRoot, join(dir, 'node_modules', 'cmdtel'), 'junction');
  copyFileSync(join(repoRoot, 'examples', 'yargs', 'cli.js'), join(dir, 'cli.js'));
  const version = JSON.parse(readFileSync(join(dir, 'node_modules', 'yargs', 'package.json'), 'utf8')).version;
  assert.match(version, /^17\./, 'yargs 17 where the example imports yargs');
  return join(dir, 'cli.js');
}

const FRAMEWORKS = [
  { name: 'commander', exits: 'commander', cli: () => join(repoRoot, 'examples', 'commander', 'cli.js') },
  { name: 'yargs', exits: 'yargs', cli: () => join(repoRoot, 'examples', 'yargs', 'cli.js') },
  { name: 'yargs 17', exits: 'yargs', cli: yargsExampleOn17 },
  { name: 'oclif', exits: 'oclif', cli: () => join(repoRoot, 'examples', 'oclif', 'cli.js') },
];

for (const { name, exits: framework, cli: cliFor } of FRAMEWORKS) {
  describe(`${name} adapter`, () => {
    test('records command path, exit code and error class for every outcome', async (t) => {
      const dir = tempDir(t);
      const cli = cliFor(t);
      // One process per case, each with its own sink file, run side by side.
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
    });
  });
}
