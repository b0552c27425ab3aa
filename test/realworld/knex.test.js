// knex's CLI as published (commander 10, colon-named commands, actions that start async work,
// return without it and end the process with process.exit() later), instrumented with
// runCommander in place of its `commander.parse(process.argv)`. The database is PostgreSQL on a
// loopback port where nothing listens, so commands that need it fail the same way every time.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertSameRunOneEvent, runBoth } from './compare.js';
import { CLIS, installedVersion } from './project.js';

const { version } = CLIS.knex;
const KNEXFILE = `module.exports = { client: 'pg', connection: { host: '127.0.0.1', port: 9, user: 'u', database: 'd' }, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 5000 };\n`;
const withKnexfile = (dir) => {
  writeFileSync(join(dir, 'knexfile.js'), KNEXFILE);
  mkdirSync(join(dir, 'migrations'));
  writeFileSync(join(dir, 'migrations', '20240101000000_init.js'), 'exports.up = async () => {};\nexports.down = async () => {};\n');
  mkdirSync(join(dir, 'seeds'));
  writeFileSync(join(dir, 'seeds', 'users.js'), "exports.seed = async (knex) => { await knex('users').insert({ id: 1 }); };\n");
};

const SCENARIOS = [
  { name: 'init writes a knexfile (success, exits later)', args: ['init'], exitCode: 0, shows: /Created \.\/knexfile\.js/, event: { command: 'init' } },
  {
    name: 'migrate:make (success, exits later)',
    args: ['migrate:make', 'add_users'],
    prepare: withKnexfile,
    exitCode: 0,
    shows: /Created Migration: .*_add_users\.js/,
    event: { command: 'migrate', subcommand: 'make' },
  },
  {
    name: 'seed:make (success, exits later)',
    args: ['seed:make', 'more_users'],
    prepare: withKnexfile,
    exitCode: 0,
    shows: /Created seed file: .*more_users\.js/,
    event: { command: 'seed', subcommand: 'make' },
  },
  {
    name: 'migrate:latest without a database (failure, exits later)',
    args: ['migrate:latest'],
    prepare: withKnexfile,
    exitCode: 1,
    shows: /ECONNREFUSED 127\.0\.0\.1:9/,
    event: { command: 'migrate', subcommand: 'latest', err_class: 'unknown' },
  },
  {
    name: 'migrate:status, an alias of migrate:list (failure)',
    args: ['migrate:status'],
    prepare: withKnexfile,
    exitCode: 1,
    shows: /ECONNREFUSED 127\.0\.0\.1:9/,
    event: { command: 'migrate', subcommand: 'list', err_class: 'unknown' },
  },
  {
    name: 'seed:run without a database (failure)',
    args: ['seed:run'],
    prepare: withKnexfile,
    exitCode: 1,
    shows: /ECONNREFUSED 127\.0\.0\.1:9/,
    event: { command: 'seed', subcommand: 'run', err_class: 'unknown' },
  },
  {
    name: 'migrate:make without its name (usage)',
    args: ['migrate:make'],
    exitCode: 1,
    shows: /missing required argument 'name'/,
    event: { command: 'migrate', subcommand: 'make', err_class: 'usage' },
  },
  { name: 'unknown command', args: ['bogus'], exitCode: 1, shows: /unknown command 'bogus'/, event: { command: '_unknown', err_class: 'unknown_command' } },
  { name: '--help', args: ['--help'], exitCode: 0, shows: /^Usage: knex \[options\] \[command\]/, event: { command: '_root' } },
  { name: '--version', args: ['--version'], exitCode: 0, shows: /Knex CLI version: 3\.3\.0/, event: { command: '_root' } },
  {
    name: 'no command (help on stderr)',
    args: [],
    exitCode: 1,
    shows: /^Usage: knex \[options\] \[command\]/,
    event: { command: '_root', err_class: 'usage' },
  },
];

test(`knex ${version} is the pinned install`, () => {
  assert.equal(installedVersion('knex'), version);
  assert.equal(installedVersion('commander'), '10.0.1');
});

for (const scenario of SCENARIOS) {
  test(`knex ${scenario.name}: same exit code and output, one event`, async () => {
    const results = await runBoth('knex', scenario, 'KNEX');
    assert.equal(results.plain.code, scenario.exitCode, `published knex exit code: ${results.plain.stderr.slice(0, 300)}`);
    assert.match(results.plain.stdout + results.plain.stderr, scenario.shows, 'the published CLI did what the scenario is named for');
    assertSameRunOneEvent(results, scenario.event, version);
  });
}
