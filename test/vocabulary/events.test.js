// What one invocation becomes on disk: keys, derivation of outcome and exit
// code, and the coarse-token boundary. Uses the file sink in a temp dir.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTelemetry, INVALID_MARKER } from 'cmdtel';
import { tempDir } from '../helpers/paths.js';

function record(t, calls, env = {}, options = {}) {
  const dir = tempDir(t);
  const file = join(dir, 'events.jsonl');
  const telemetry = createTelemetry({ name: 'dws', version: '1.4.2', configDir: dir, env: { DWS_TELEMETRY_FILE: file, ...env }, ...options });
  for (const [start, end] of calls) telemetry.start(start).end(end);
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

test('a line has the reference keys in the reference order', (t) => {
  const [event] = record(
    t,
    [
      [
        { command: 'doc', subcommand: 'create_document', corpId: 'ding42' },
        { exitCode: 2, errorClass: 'auth' },
      ],
    ],
    { DWS_CHANNEL: 'stable', CLAUDECODE: '1' },
  );
  assert.deepEqual(Object.keys(event), [
    'schema_version',
    'ts',
    'trace_id',
    'corp_id',
    'cli_version',
    'channel',
    'os',
    'caller_type',
    'caller_name',
    'command',
    'subcommand',
    'outcome',
    'err_class',
    'exit_code',
    'duration_ms',
  ]);
  assert.equal(event.caller_type, 'agent');
  assert.equal(event.caller_name, 'claude-code');
  assert.equal(event.schema_version, '1');
  assert.match(event.trace_id, /^[0-9a-f]{32}$/);
  assert.equal(event.corp_id, 'ding42');
  assert.equal(event.cli_version, '1.4.2');
  assert.equal(event.channel, 'stable');
  assert.equal(event.command, 'doc');
  assert.equal(event.subcommand, 'create_document');
  assert.equal(event.outcome, 'error');
  assert.equal(event.err_class, 'auth');
  assert.equal(event.exit_code, 2);
  assert.ok(Number.isInteger(event.duration_ms) && event.duration_ms >= 0);
  assert.ok(!Number.isNaN(Date.parse(event.ts)));
});

test('optional keys are left out when empty; err_class only on errors; no caller with recordCaller: false', (t) => {
  const [event] = record(t, [[{ command: 'doc' }, { exitCode: 0, errorClass: 'auth' }]], { GITHUB_ACTIONS: 'true' }, { recordCaller: false });
  assert.deepEqual(Object.keys(event), [
    'schema_version',
    'ts',
    'trace_id',
    'cli_version',
    'os',
    'command',
    'subcommand',
    'outcome',
    'exit_code',
    'duration_ms',
  ]);
  assert.equal(event.subcommand, '');
  assert.equal(event.outcome, 'ok');
});

test('the outcome follows the exit code unless given', (t) => {
  const events = record(t, [
    [{ command: 'a' }, {}],
    [{ command: 'a' }, { exitCode: 0 }],
    [{ command: 'a' }, { exitCode: 4 }],
    [{ command: 'a' }, { exitCode: 130 }],
    [{ command: 'a' }, { signal: 'SIGTERM' }],
    [{ command: 'a' }, { exitCode: 1, outcome: 'cancelled' }],
    [{ command: 'a' }, { exitCode: 300 }],
    [{ command: 'a' }, { exitCode: 'two' }],
    [{ command: 'a' }, { exitCode: 2, outcome: 'maybe' }],
  ]);
  assert.deepEqual(
    events.map((event) => [event.outcome, event.exit_code, event.err_class]),
    [
      ['ok', 0, undefined],
      ['ok', 0, undefined],
      ['error', 4, 'unknown'],
      ['cancelled', 130, undefined],
      ['cancelled', 143, undefined],
      ['cancelled', 1, undefined],
      ['error', 44, 'unknown'],
      ['error', -1, 'unknown'],
      ['error', 2, 'unknown'],
    ],
  );
});

test('anything that is not a short token becomes the marker, never the raw text', (t) => {
  const garbage = [
    'has spaces',
    '/home/alice/secret.txt',
    'alice@example.com',
    'x'.repeat(65),
    '',
    'über',
    '-leading-dash',
    42,
    null,
    { toString: () => 'doc' },
  ];
  const events = record(
    t,
    garbage.map((value) => [
      { command: value, subcommand: value, corpId: value },
      { exitCode: 1, errorClass: value },
    ]),
  );
  for (const [index, event] of events.entries()) {
    const blank = garbage[index] === '' || garbage[index] === null;
    assert.equal(event.command, INVALID_MARKER, `command for ${String(garbage[index])}`);
    assert.equal(event.subcommand, blank ? '' : INVALID_MARKER);
    assert.equal(event.corp_id, blank ? undefined : INVALID_MARKER);
    assert.equal(event.err_class, blank ? 'unknown' : INVALID_MARKER);
  }
});

test('garbage to start() and end() is recorded with markers, never thrown', (t) => {
  const events = record(t, [
    [undefined, undefined],
    ['doc', 'ok'],
    [{ command: 'doc' }, null],
  ]);
  assert.deepEqual(
    events.map((event) => [event.command, event.outcome]),
    [
      [INVALID_MARKER, 'ok'],
      [INVALID_MARKER, 'ok'],
      ['doc', 'ok'],
    ],
  );
});

test('end() twice records once', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'events.jsonl');
  const telemetry = createTelemetry({ name: 'dws', configDir: dir, env: { DWS_TELEMETRY_FILE: file } });
  const invocation = telemetry.start({ command: 'doc' });
  invocation.end({ exitCode: 0 });
  invocation.end({ exitCode: 1 });
  assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 1);
});

test('the trace id comes from TRACEPARENT when present', (t) => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const [inherited, invalid] = [
    record(t, [[{ command: 'a' }, {}]], { TRACEPARENT: `00-${traceId}-00f067aa0ba902b7-01` }),
    record(t, [[{ command: 'a' }, {}]], { TRACEPARENT: 'garbage' }),
  ];
  assert.equal(inherited[0].trace_id, traceId);
  assert.match(invalid[0].trace_id, /^[0-9a-f]{32}$/);
  assert.notEqual(invalid[0].trace_id, traceId);
});

test('the version defaults to "dev"; an unwritable file sink is harmless', (t) => {
  const dir = tempDir(t);
  const telemetry = createTelemetry({ name: 'dws', configDir: dir, env: { DWS_TELEMETRY_FILE: join(dir, 'missing-parent', 'x.jsonl') } });
  telemetry.start({ command: 'a' }).end();
  assert.equal(JSON.parse(readFileSync(join(dir, 'missing-parent', 'x.jsonl'), 'utf8')).cli_version, 'dev');
  const blocked = createTelemetry({ name: 'dws', configDir: dir, env: { DWS_TELEMETRY_FILE: join(dir, 'missing-parent', 'x.jsonl', 'below-a-file.jsonl') } });
  assert.doesNotThrow(() => blocked.start({ command: 'a' }).end());
});
