// Colon-named commands as CLIs write them (`db:migrate`), and a CLI's own
// convention through the commandPath option, recorded by the core API.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTelemetry } from 'cmdtel';

/** Starts and ends each input with the file sink; returns [command, subcommand] per recorded event. */
async function record(inputs, extra = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cmdtel-names-'));
  try {
    const file = join(dir, 'events.jsonl');
    const telemetry = createTelemetry({ name: 'dws', env: { DWS_TELEMETRY_FILE: file }, ...extra });
    for (const input of inputs) telemetry.start(input).end({ exitCode: 0 });
    await telemetry.shutdown();
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const event = JSON.parse(line);
        return [event.command, event.subcommand || null];
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a colon-separated name is a command path', async () => {
  const got = await record([
    { command: 'db:migrate' },
    { command: 'migrate:make' },
    { command: 'a:b:c' },
    { command: 'db:migrate', subcommand: 'up' },
    { command: 'db', subcommand: 'migrate:make' },
    { command: 'db:' },
    { command: ':' },
    { command: 'plain' },
    { command: 'doc', subcommand: 'create_document' },
    { command: 'has space:ok' },
  ]);
  assert.deepEqual(got, [
    ['db', 'migrate'],
    ['migrate', 'make'],
    ['a', 'b.c'],
    ['db', 'migrate.up'],
    ['db', 'migrate.make'],
    ['db', null],
    ['_invalid', null],
    ['plain', null],
    ['doc', 'create_document'],
    ['_invalid', 'ok'],
  ]);
});

test('commandPath maps a CLI’s own convention, through the same marker rules', async () => {
  const got = await record([{ command: 'db/migrate' }, { command: 'x/has space' }, { command: 'db:migrate' }], { commandPath: (name) => name.split('/') });
  assert.deepEqual(got, [
    ['db', 'migrate'],
    ['x', '_invalid'],
    ['_invalid', null],
  ]);
});

test('a mapper that throws or returns garbage never throws out of start()', async () => {
  let calls = 0;
  const got = await record([{ command: 'db' }, { command: 'x' }, { command: 'y', subcommand: 'z' }], {
    commandPath: (name) => {
      calls += 1;
      if (name === 'db') throw new Error('boom');
      if (name === 'x') return 'x';
      return [name, 42];
    },
  });
  assert.deepEqual(got, [
    ['_invalid', null],
    ['_invalid', null],
    ['_invalid', '_invalid'],
  ]);
  assert.equal(calls, 4);
});
