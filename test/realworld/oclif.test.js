// oclif's own CLI as published (@oclif/core 4, commands in topics such as `pack tarballs`, reached
// as `pack:tarballs` too, failures through this.error with exit 2, and the not-found plugin's
// exit 127), instrumented with a bin that calls runOclif where the published one calls execute.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertSameRunOneEvent, runBoth } from './compare.js';
import { CLIS, installedVersion } from './project.js';

const { version } = CLIS.oclif;
/** A tiny oclif plugin to build a manifest for, and a nameless package.json around it. */
const plugin = (files) => (dir) => {
  writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
  mkdirSync(join(dir, 'plug', 'lib', 'commands'), { recursive: true });
  writeFileSync(
    join(dir, 'plug', 'package.json'),
    JSON.stringify({ name: 'plug', version: '1.0.0', ...files, oclif: { commands: './lib/commands', bin: 'plug' } }),
  );
  writeFileSync(join(dir, 'plug', 'lib', 'commands', 'hello.js'), 'module.exports = class Hello { static run() {} };\n');
};

const SCENARIOS = [
  {
    name: 'manifest (success)',
    args: ['manifest', 'plug'],
    prepare: plugin({ files: ['lib'] }),
    exitCode: 0,
    shows: /wrote manifest to .*oclif\.manifest\.json/,
    event: { command: 'manifest' },
  },
  {
    name: 'manifest of a plugin without "files" (failure)',
    args: ['manifest', 'plug'],
    prepare: plugin({}),
    exitCode: 2,
    shows: /has to contain a "files" array/,
    event: { command: 'manifest', err_class: 'internal' },
  },
  {
    name: 'readme outside a CLI (failure)',
    args: ['readme'],
    prepare: plugin({}),
    exitCode: 2,
    shows: /no name in package\.json/,
    event: { command: 'readme', err_class: 'internal' },
  },
  {
    name: 'pack:tarballs, colon-named (failure)',
    args: ['pack:tarballs'],
    prepare: plugin({}),
    exitCode: 2,
    shows: /no name in package\.json/,
    event: { command: 'pack', subcommand: 'tarballs', err_class: 'internal' },
  },
  {
    name: 'pack tarballs with an unknown flag (usage)',
    args: ['pack', 'tarballs', '--bogus'],
    exitCode: 2,
    shows: /Nonexistent flag: --bogus/,
    event: { command: 'pack', subcommand: 'tarballs', err_class: 'usage' },
  },
  {
    name: 'generate command without its name (usage)',
    args: ['generate', 'command'],
    exitCode: 2,
    shows: /Missing 1 required arg/,
    event: { command: 'generate', subcommand: 'command', err_class: 'usage' },
  },
  {
    name: 'unknown command (not-found plugin, exit 127)',
    args: ['bogus'],
    exitCode: 127,
    shows: /bogus is not a oclif command/,
    event: { command: '_unknown', err_class: 'unknown_command' },
  },
  { name: '--help', args: ['--help'], exitCode: 0, shows: /^oclif: create your own CLI/, event: { command: '_root' } },
  { name: '--version', args: ['--version'], exitCode: 0, shows: new RegExp(`^oclif/${version.replaceAll('.', '\\.')} `), event: { command: '_root' } },
  { name: 'no command (root help)', args: [], exitCode: 0, shows: /^oclif: create your own CLI/, event: { command: '_root' } },
];

test(`oclif ${version} is the pinned install, on @oclif/core 4`, () => {
  assert.equal(installedVersion('oclif'), version);
  assert.equal(installedVersion('@oclif/core'), '4.8.4');
});

for (const scenario of SCENARIOS) {
  test(`oclif ${scenario.name}: same exit code and output, one event`, async () => {
    const results = await runBoth('oclif', scenario, 'OCLIF');
    assert.equal(results.plain.code, scenario.exitCode, `published oclif exit code: ${results.plain.stderr.slice(0, 300)}`);
    assert.match(results.plain.stdout + results.plain.stderr, scenario.shows, 'the published CLI did what the scenario is named for');
    assertSameRunOneEvent(results, scenario.event, version);
  });
}
