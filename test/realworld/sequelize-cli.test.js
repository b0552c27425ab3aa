// sequelize-cli as published (yargs 16, colon-named commands such as db:migrate:status, handlers
// that end the process with process.exit() at once or after async work), instrumented with
// runYargs around its program in place of `.argv`. The database is PostgreSQL on a loopback port
// where nothing listens, so commands that need it fail the same way every time.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertSameRunOneEvent, runBoth } from './compare.js';
import { CLIS, installedVersion } from './project.js';

const { version } = CLIS.sequelize;
const CONFIG = { development: { dialect: 'postgres', host: '127.0.0.1', port: 9, username: 'u', password: null, database: 'd' } };
const project = (dir) => {
  for (const sub of ['config', 'migrations', 'seeders']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'config', 'config.json'), JSON.stringify(CONFIG));
  writeFileSync(join(dir, 'migrations', '20240101000000-init.js'), 'module.exports = { up: async () => {}, down: async () => {} };\n');
};
const REFUSED = /ERROR: connect ECONNREFUSED 127\.0\.0\.1:9/;

const SCENARIOS = [
  { name: 'init (success)', args: ['init'], exitCode: 0, shows: /Successfully created seeders folder/, event: { command: 'init' } },
  {
    name: 'migration:generate (success)',
    args: ['migration:generate', '--name', 'add-users'],
    prepare: project,
    exitCode: 0,
    shows: /New migration was created at .*-add-users\.js/,
    event: { command: 'migration', subcommand: 'generate' },
  },
  {
    name: 'seed:generate (success)',
    args: ['seed:generate', '--name', 'demo'],
    prepare: project,
    exitCode: 0,
    shows: /New seed was created at .*-demo\.js/,
    event: { command: 'seed', subcommand: 'generate' },
  },
  {
    name: 'db:migrate without a database (failure, exits later)',
    args: ['db:migrate'],
    prepare: project,
    exitCode: 1,
    shows: REFUSED,
    event: { command: 'db', subcommand: 'migrate', err_class: 'unknown' },
  },
  {
    name: 'db:migrate:status (failure, exits later)',
    args: ['db:migrate:status'],
    prepare: project,
    exitCode: 1,
    shows: REFUSED,
    event: { command: 'db', subcommand: 'migrate.status', err_class: 'unknown' },
  },
  {
    name: 'db:seed:all (failure, exits later)',
    args: ['db:seed:all'],
    prepare: project,
    exitCode: 1,
    shows: REFUSED,
    event: { command: 'db', subcommand: 'seed.all', err_class: 'unknown' },
  },
  {
    name: 'model:generate without a models folder (failure in the handler)',
    args: ['model:generate', '--name', 'User', '--attributes', 'name:string'],
    prepare: project,
    exitCode: 1,
    shows: /Unable to find models path/,
    event: { command: 'model', subcommand: 'generate', err_class: 'unknown' },
  },
  {
    name: 'migration:generate without --name (usage)',
    args: ['migration:generate'],
    exitCode: 1,
    shows: /Missing required argument: name/,
    event: { command: 'migration', subcommand: 'generate', err_class: 'usage' },
  },
  { name: 'unknown command', args: ['bogus'], exitCode: 1, shows: /Unknown argument: bogus/, event: { command: '_unknown', err_class: 'unknown_command' } },
  { name: '--help', args: ['--help'], exitCode: 0, shows: /sequelize db:migrate:status/, event: { command: '_root' } },
  { name: '--version', args: ['--version'], exitCode: 0, shows: /^6\.6\.5$/m, event: { command: '_root' } },
  { name: 'no command (usage)', args: [], exitCode: 1, shows: /Please specify a command/, event: { command: '_root', err_class: 'usage' } },
];

test(`sequelize-cli ${version} is the pinned install, on yargs 16`, () => {
  assert.equal(installedVersion('sequelize-cli'), version);
  assert.equal(installedVersion('yargs'), '16.2.2');
});

for (const scenario of SCENARIOS) {
  test(`sequelize-cli ${scenario.name}: same exit code and output, one event`, async () => {
    const results = await runBoth('sequelize', scenario, 'SEQUELIZE');
    assert.equal(results.plain.code, scenario.exitCode, `published sequelize-cli exit code: ${results.plain.stderr.slice(0, 300)}`);
    assert.match(results.plain.stdout + results.plain.stderr, scenario.shows, 'the published CLI did what the scenario is named for');
    assertSameRunOneEvent(results, scenario.event, version);
  });
}
