// Mistakes in code fail at construction, with the option named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CmdtelOptionsError, createTelemetry } from 'cmdtel';

const cases = [
  ['options', undefined, /option "options" must be an object/],
  ['name', { name: 'My CLI' }, /option "name" must be lowercase letters/],
  ['name', { name: 42 }, /option "name" .*got number/],
  ['version', { name: 'dws', version: '1.0 beta' }, /option "version" must be a short token/],
  ['envPrefix', { name: 'dws', envPrefix: 'dws-' }, /option "envPrefix" must be uppercase/],
  ['channel', { name: 'dws', channel: 'my channel' }, /option "channel" must be a short token/],
  ['defaults', { name: 'dws', defaults: 'http://x' }, /option "defaults" must be an object/],
  ['defaults.url', { name: 'dws', defaults: { url: 'ftp://x' } }, /option "defaults.url" must be an http/],
  ['defaults.token', { name: 'dws', defaults: { url: 'http://x', token: '' } }, /option "defaults.token" must be a non-empty string/],
  ['meterProvider', { name: 'dws', meterProvider: {} }, /option "meterProvider" must be an OpenTelemetry MeterProvider/],
  ['env', { name: 'dws', env: 'FOO=1' }, /option "env" must be an object/],
  ['commandPath', { name: 'dws', commandPath: '/' }, /option "commandPath" must be a function/],
  ['recordCaller', { name: 'dws', recordCaller: 'no' }, /option "recordCaller" must be true or false \(got "no"\)/],
  ['projectOptOut', { name: 'dws', projectOptOut: 1 }, /option "projectOptOut" must be true or false \(got number\)/],
  ['userControls', { name: 'dws', userControls: null }, /option "userControls" must be true or false/],
];

for (const [option, options, message] of cases) {
  test(`a bad "${option}" throws CmdtelOptionsError at construction`, () => {
    assert.throws(
      () => createTelemetry(options),
      (error) => {
        assert.ok(error instanceof CmdtelOptionsError);
        assert.ok(error instanceof TypeError);
        assert.equal(error.name, 'CmdtelOptionsError');
        assert.match(error.message, message);
        return true;
      },
    );
  });
}

test('good options with defaults filled in', () => {
  const telemetry = createTelemetry({ name: 'my-cli', env: {} });
  assert.equal(telemetry.enabled, false);
  assert.equal(telemetry.status.env.enabled, 'MY_CLI_TELEMETRY_ENABLED');
  assert.equal(telemetry.status.env.channel, 'MY_CLI_CHANNEL');
  assert.match(telemetry.status.configDir, /\.my-cli$/);
});

test('when off, start/end/shutdown are inert and safe with any input', async () => {
  const telemetry = createTelemetry({ name: 'dws', env: {} });
  const invocation = telemetry.start(undefined);
  assert.match(invocation.traceId, /^[0-9a-f]{32}$/);
  invocation.end('garbage');
  invocation.end();
  assert.equal(invocation.ended, true);
  await telemetry.shutdown();
});
