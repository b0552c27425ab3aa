// `mycli telemetry status|enable|disable` tells the truth: every suggestion it
// makes would work in the state it describes, and nothing is said twice.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTelemetry } from 'cmdtel';
import { runTelemetryCommand } from 'cmdtel/user-controls';
import { tempDir } from '../helpers/paths.js';

const URL = 'http://127.0.0.1:9';

function setup(t, env, options = {}) {
  const configDir = options.configDir ?? join(tempDir(t), 'config');
  const run = (action) => {
    const telemetry = createTelemetry({ name: 'dws', configDir, projectDir: tempDir(t), env, ...options });
    let text = '';
    const code = runTelemetryCommand(telemetry, action, { cliName: 'dws', write: (chunk) => (text += chunk) });
    return { code, text };
  };
  return { configDir, run };
}

/** No variable name twice on one line. */
function assertNoRepeats(text) {
  for (const line of text.split('\n')) {
    const names = line.match(/\b[A-Z][A-Z0-9_]{3,}\b/g) ?? [];
    assert.equal(new Set(names).size, names.length, `repeated name in: ${line}`);
  }
}

test('DO_NOT_TRACK: off, says so once, and suggests unsetting it — not `enable`', (t) => {
  const { text } = setup(t, { DWS_TELEMETRY_URL: URL, DO_NOT_TRACK: '1' }).run('status');
  assert.match(text, /^Telemetry is off: DO_NOT_TRACK is set\.$/m);
  assert.match(text, /^Turn it on: unset DO_NOT_TRACK\.$/m);
  assert.doesNotMatch(text, /telemetry enable/);
  assertNoRepeats(text);
});

test('<P>_TELEMETRY_DISABLED and OTEL_SDK_DISABLED: the same, each named once', (t) => {
  let { text } = setup(t, { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_DISABLED: '1' }).run('status');
  assert.match(text, /^Telemetry is off: DWS_TELEMETRY_DISABLED is set\.$/m);
  assert.match(text, /^Turn it on: unset DWS_TELEMETRY_DISABLED\.$/m);
  assert.doesNotMatch(text, /telemetry enable/);
  assertNoRepeats(text);
  ({ text } = setup(t, { DWS_TELEMETRY_URL: URL, OTEL_SDK_DISABLED: 'true' }).run('status'));
  assert.match(text, /^Telemetry is off: OTEL_SDK_DISABLED=true is set\.$/m);
  assert.doesNotMatch(text, /telemetry enable/);
  assertNoRepeats(text);
});

test('<P>_TELEMETRY_ENABLED decides: no `disable` / `enable` suggestion, which it would override', (t) => {
  let { text } = setup(t, { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_ENABLED: '1' }).run('status');
  assert.match(text, /^Telemetry is on: DWS_TELEMETRY_ENABLED is set to on\.$/m);
  assert.match(text, /^Turn it off: set DWS_TELEMETRY_ENABLED=0, or DO_NOT_TRACK=1\.$/m);
  assert.doesNotMatch(text, /telemetry disable/);
  ({ text } = setup(t, { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_ENABLED: '0' }).run('status'));
  assert.match(text, /^Telemetry is off: DWS_TELEMETRY_ENABLED is set to off\.$/m);
  assert.doesNotMatch(text, /telemetry enable/);
  assertNoRepeats(text);
});

test('`enable` without a destination: "enabled, but nowhere to send", and status keeps saying so', (t) => {
  const { run } = setup(t, {});
  const enabled = run('enable');
  assert.equal(enabled.code, 0);
  assert.match(enabled.text, /^Telemetry enabled for dws/m);
  assert.match(enabled.text, /^Note: there is nowhere to send it yet; set DWS_TELEMETRY_URL or DWS_TELEMETRY_FILE\.$/m);
  const { text } = run('status');
  assert.match(text, /^Telemetry is off: enabled, but there is nowhere to send it\.$/m);
  assert.match(text, /^Send it somewhere: set DWS_TELEMETRY_URL or DWS_TELEMETRY_FILE\.$/m);
  assert.doesNotMatch(text, /telemetry enable/, 'already enabled');
  assertNoRepeats(text);
});

test('nothing set at all: a destination and `enable` are both needed, and it says both', (t) => {
  const { text } = setup(t, {}).run('status');
  assert.match(text, /^Telemetry is off: there is nowhere to send it\.$/m);
  assert.match(text, /^Turn it on: set DWS_TELEMETRY_URL or DWS_TELEMETRY_FILE, then run dws telemetry enable\.$/m);
});

test('the usual states suggest the command that works', (t) => {
  let { text } = setup(t, { DWS_TELEMETRY_URL: URL }).run('status');
  assert.match(text, /^Telemetry is off: not enabled \(telemetry is opt-in\)\.$/m);
  assert.match(text, /^Turn it on: dws telemetry enable, or set DWS_TELEMETRY_ENABLED=1\.$/m);
  ({ text } = setup(t, { DWS_TELEMETRY_FILE: '/dev/null' }).run('status'));
  assert.match(text, /^Telemetry is on: DWS_TELEMETRY_FILE is set\.$/m);
  assert.match(text, /^Turn it off: dws telemetry disable, or set DWS_TELEMETRY_DISABLED=1 or DO_NOT_TRACK=1\.$/m);
  assertNoRepeats(text);
});

test('no `headers {}` noise; header names only when there are headers, values redacted', (t) => {
  let { text } = setup(t, { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_ENABLED: '1' }).run('status');
  assert.match(text, /^Destination: OTLP http:\/\/127\.0\.0\.1:9\/v1\/metrics$/m);
  assert.doesNotMatch(text, /headers/);
  ({ text } = setup(t, { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_ENABLED: '1', DWS_TELEMETRY_TOKEN: 'sentinel-secret' }).run('status'));
  assert.match(text, /^Destination: OTLP http:\/\/127\.0\.0\.1:9\/v1\/metrics headers \{"Authorization":"\[redacted\]"\}$/m);
  assert.doesNotMatch(text, /sentinel-secret/);
});

test('a project opt-out: status names it; enable saves but says the project still decides', (t) => {
  const { run } = setup(t, { DWS_TELEMETRY_FILE: '/dev/null' }, { projectOptOut: true });
  const { text } = run('status');
  assert.match(text, /^Telemetry is off: this project opted out \(projectOptOut option\)\.$/m);
  assert.doesNotMatch(text, /telemetry enable/);
  const enabled = run('enable');
  assert.match(enabled.text, /^Note: this project opted out \(projectOptOut option\); telemetry stays off here\.$/m);
});

test('enable/disable against an environment that decides: a note only when it works against the choice', (t) => {
  const optedOut = setup(t, { DWS_TELEMETRY_URL: URL, DO_NOT_TRACK: '1' }).run('enable');
  assert.match(optedOut.text, /^Note: DO_NOT_TRACK still decides while it is set\.$/m);
  const agreeing = setup(t, { DWS_TELEMETRY_URL: URL, DO_NOT_TRACK: '1' }).run('disable');
  assert.doesNotMatch(agreeing.text, /Note:/);
  const forced = setup(t, { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_ENABLED: 'yes' }).run('disable');
  assert.match(forced.text, /^Note: DWS_TELEMETRY_ENABLED still decides while it is set\.$/m);
});

test('the saved choice is used when the environment leaves it open', (t) => {
  const configDir = join(tempDir(t), 'config');
  mkdirSync(configDir);
  writeFileSync(join(configDir, 'telemetry.json'), '{"enabled":false}\n');
  const { text } = setup(t, { DWS_TELEMETRY_URL: URL }, { configDir }).run('status');
  assert.match(text, /^Telemetry is off: you disabled it\.$/m);
  assert.match(text, /^Turn it on: dws telemetry enable, or set DWS_TELEMETRY_ENABLED=1\.$/m);
});
