// The whole decision table (FACTS.md's order plus DO_NOT_TRACK and
// OTEL_SDK_DISABLED), through the public API with the environment passed in.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTelemetry } from 'cmdtel';
import { tempDir } from '../helpers/paths.js';

const URL = 'http://127.0.0.1:9/v1/metrics';

function decide(t, env, options = {}) {
  const configDir = options.configDir ?? join(tempDir(t), 'config');
  const projectDir = options.projectDir ?? tempDir(t);
  const telemetry = createTelemetry({ name: 'dws', version: '1.0.0', configDir, projectDir, env, ...options });
  return { enabled: telemetry.enabled, reason: telemetry.status.reason };
}

/** A project (a git checkout) with a committed `.dws/telemetry.json`; returns a directory inside it. */
function projectWithFile(t, content = '{"enabled": false}\n') {
  const root = tempDir(t);
  mkdirSync(join(root, '.git'));
  mkdirSync(join(root, '.dws'));
  writeFileSync(join(root, '.dws', 'telemetry.json'), content);
  const inside = join(root, 'packages', 'app', 'src');
  mkdirSync(inside, { recursive: true });
  return { root, inside };
}

const rows = [
  // [description, env, options, enabled, reason]
  ['nothing set: off, nothing to send', {}, {}, false, 'no-destination'],
  ['URL only, not opted in: off', { DWS_TELEMETRY_URL: URL }, {}, false, 'not-opted-in'],
  ['URL + ENABLED=1: on', { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_ENABLED: '1' }, {}, true, 'enabled-by-env'],
  ['ENABLED without URL: off (step 2 before step 3)', { DWS_TELEMETRY_ENABLED: 'true' }, {}, false, 'no-destination'],
  ['truthy spellings: " YES "', { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_ENABLED: ' YES ' }, {}, true, 'enabled-by-env'],
  ['truthy spellings: On', { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_ENABLED: 'On' }, {}, true, 'enabled-by-env'],
  ['ENABLED=0 with URL: off', { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_ENABLED: '0' }, {}, false, 'disabled-by-env'],
  ['DISABLED wins over ENABLED', { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_ENABLED: '1', DWS_TELEMETRY_DISABLED: '1' }, {}, false, 'opted-out'],
  ['baked-in default: on by default', {}, { defaults: { url: URL } }, true, 'distribution-default'],
  ['DISABLED wins over a baked-in default', { DWS_TELEMETRY_DISABLED: 'true' }, { defaults: { url: URL } }, false, 'opted-out'],
  ['baked-in default + ENABLED=false: off', { DWS_TELEMETRY_ENABLED: 'false' }, { defaults: { url: URL } }, false, 'disabled-by-env'],
  ['FILE alone: on', { DWS_TELEMETRY_FILE: '/dev/null' }, {}, true, 'file-sink'],
  ['FILE + ENABLED=no: off', { DWS_TELEMETRY_FILE: '/dev/null', DWS_TELEMETRY_ENABLED: 'no' }, {}, false, 'disabled-by-env'],
  ['FILE + DISABLED: off', { DWS_TELEMETRY_FILE: '/dev/null', DWS_TELEMETRY_DISABLED: 'yes' }, {}, false, 'opted-out'],
  ['DO_NOT_TRACK=1 beats ENABLED', { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_ENABLED: '1', DO_NOT_TRACK: '1' }, {}, false, 'do-not-track'],
  ['DO_NOT_TRACK=1 beats a baked-in default', { DO_NOT_TRACK: '1' }, { defaults: { url: URL } }, false, 'do-not-track'],
  ['DO_NOT_TRACK=0 is not an opt-out', { DO_NOT_TRACK: '0', DWS_TELEMETRY_FILE: '/dev/null' }, {}, true, 'file-sink'],
  ['OTEL_SDK_DISABLED=true beats ENABLED', { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_ENABLED: '1', OTEL_SDK_DISABLED: 'TRUE' }, {}, false, 'otel-sdk-disabled'],
  ['OTEL_SDK_DISABLED=false changes nothing', { DWS_TELEMETRY_FILE: '/dev/null', OTEL_SDK_DISABLED: 'false' }, {}, true, 'file-sink'],
  ['OTEL endpoint + ENABLED: on', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', DWS_TELEMETRY_ENABLED: '1' }, {}, true, 'enabled-by-env'],
  ['OTEL endpoint alone does not opt in', { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: URL }, {}, false, 'not-opted-in'],
  ['blank values count as unset', { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_ENABLED: '  ', DWS_TELEMETRY_DISABLED: '' }, {}, false, 'not-opted-in'],
];

for (const [description, env, options, enabled, reason] of rows) {
  test(`decision: ${description}`, (t) => {
    assert.deepEqual(decide(t, env, options), { enabled, reason });
  });
}

test('a host MeterProvider is a destination and on by default; opt-outs still win', (t) => {
  const meterProvider = { getMeter: () => ({ createCounter: () => ({ add() {} }), createHistogram: () => ({ record() {} }) }) };
  assert.deepEqual(decide(t, {}, { meterProvider }), { enabled: true, reason: 'host-meter-provider' });
  assert.deepEqual(decide(t, { DO_NOT_TRACK: '1' }, { meterProvider }), { enabled: false, reason: 'do-not-track' });
  assert.deepEqual(decide(t, { DWS_TELEMETRY_ENABLED: '0' }, { meterProvider }), { enabled: false, reason: 'disabled-by-env' });
});

test('the prefix follows envPrefix', (t) => {
  assert.equal(decide(t, { DWS_TELEMETRY_FILE: '/dev/null' }, { envPrefix: 'ACME' }).enabled, false);
  assert.equal(decide(t, { ACME_TELEMETRY_FILE: '/dev/null' }, { envPrefix: 'ACME' }).enabled, true);
});

test('an invalid URL leaves nothing to send: off, not a crash', (t) => {
  assert.deepEqual(decide(t, { DWS_TELEMETRY_URL: 'not a url', DWS_TELEMETRY_ENABLED: '1' }), { enabled: false, reason: 'no-destination' });
});

// Step 6, the project opt-out, against the whole table: it turns every "on" off and changes no "off".
for (const [description, env, options, enabled, reason] of rows) {
  const expected = enabled ? { enabled: false, reason: 'project-opt-out' } : { enabled, reason };
  test(`decision with the projectOptOut option: ${description}`, (t) => {
    assert.deepEqual(decide(t, env, { ...options, projectOptOut: true }), expected);
  });
  test(`decision with a committed .dws/telemetry.json: ${description}`, (t) => {
    assert.deepEqual(decide(t, env, { ...options, projectDir: projectWithFile(t).inside }), expected);
  });
}

test('the project opt-out also wins over the saved choice and a host provider', (t) => {
  const configDir = join(tempDir(t), 'config');
  mkdirSync(configDir);
  writeFileSync(join(configDir, 'telemetry.json'), '{"enabled":true}\n');
  const env = { DWS_TELEMETRY_URL: URL };
  assert.deepEqual(decide(t, env, { configDir }), { enabled: true, reason: 'enabled-by-user' });
  assert.deepEqual(decide(t, env, { configDir, projectOptOut: true }), { enabled: false, reason: 'project-opt-out' });
  const meterProvider = { getMeter: () => ({ createCounter: () => ({ add() {} }), createHistogram: () => ({ record() {} }) }) };
  assert.deepEqual(decide(t, {}, { meterProvider, projectDir: projectWithFile(t).inside }), { enabled: false, reason: 'project-opt-out' });
});

test('the project file: found from any directory inside the project, named in the status', (t) => {
  const { root, inside } = projectWithFile(t);
  const telemetry = createTelemetry({ name: 'dws', configDir: join(tempDir(t), 'config'), projectDir: inside, env: { DWS_TELEMETRY_FILE: '/dev/null' } });
  assert.equal(telemetry.enabled, false);
  assert.equal(telemetry.status.source, join(root, '.dws', 'telemetry.json'));
});

test('the project file: only {"enabled": false} opts out; a project cannot opt anyone in', (t) => {
  const env = { DWS_TELEMETRY_URL: URL };
  assert.deepEqual(decide(t, env, { projectDir: projectWithFile(t, '{"enabled": true}').inside }), { enabled: false, reason: 'not-opted-in' });
  assert.deepEqual(decide(t, { DWS_TELEMETRY_FILE: '/dev/null' }, { projectDir: projectWithFile(t, '{"enabled": true}').inside }), {
    enabled: true,
    reason: 'file-sink',
  });
  assert.deepEqual(decide(t, { DWS_TELEMETRY_FILE: '/dev/null' }, { projectDir: projectWithFile(t, 'not json').inside }), {
    enabled: true,
    reason: 'file-sink',
  });
  assert.deepEqual(decide(t, { DWS_TELEMETRY_FILE: '/dev/null' }, { projectDir: projectWithFile(t, '{"enabled": "no"}').inside }), {
    enabled: true,
    reason: 'file-sink',
  });
});

test('the project file: the walk stops at the project root (.git) and never reads past it', (t) => {
  // An opt-out above the checkout belongs to some other directory, not to this project.
  const outer = tempDir(t);
  mkdirSync(join(outer, '.dws'));
  writeFileSync(join(outer, '.dws', 'telemetry.json'), '{"enabled": false}');
  const checkout = join(outer, 'checkout');
  mkdirSync(join(checkout, '.git'), { recursive: true });
  mkdirSync(join(checkout, 'src'));
  assert.deepEqual(decide(t, { DWS_TELEMETRY_FILE: '/dev/null' }, { projectDir: join(checkout, 'src') }), { enabled: true, reason: 'file-sink' });
  // Without a .git on the way, the walk goes on upwards and finds it.
  const plain = join(outer, 'plain', 'deep');
  mkdirSync(plain, { recursive: true });
  assert.deepEqual(decide(t, { DWS_TELEMETRY_FILE: '/dev/null' }, { projectDir: plain }), { enabled: false, reason: 'project-opt-out' });
});

test("the project file: the user's own config dir (same layout) is the saved choice, not a project's", (t) => {
  // `dws telemetry disable` then DWS_TELEMETRY_ENABLED=1 in the home directory: the variable wins, as documented.
  const home = tempDir(t);
  const configDir = join(home, '.dws');
  mkdirSync(configDir);
  writeFileSync(join(configDir, 'telemetry.json'), '{"enabled":false}\n');
  assert.deepEqual(decide(t, { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_ENABLED: '1' }, { configDir, projectDir: home }), {
    enabled: true,
    reason: 'enabled-by-env',
  });
  assert.deepEqual(decide(t, { DWS_TELEMETRY_URL: URL }, { configDir, projectDir: home }), { enabled: false, reason: 'disabled-by-user' });
});
