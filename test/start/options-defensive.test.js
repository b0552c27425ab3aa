// Options objects are read defensively: a getter or a Proxy that throws makes
// createTelemetry throw CmdtelOptionsError, never the host's own exception.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CmdtelOptionsError, createTelemetry } from 'cmdtel';

class HostError extends Error {}
const boom = () => {
  throw new HostError('host getter');
};
const throwingProxy = (target = {}) => new Proxy(target, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom });

const cases = [
  ['a throwing getter on name', () => Object.defineProperty({}, 'name', { get: boom, enumerable: true })],
  ['a throwing getter on version', () => Object.defineProperty({ name: 'dws' }, 'version', { get: boom, enumerable: true })],
  ['a throwing getter on defaults.url', () => ({ name: 'dws', defaults: Object.defineProperty({}, 'url', { get: boom, enumerable: true }) })],
  ['a throwing getter on env', () => Object.defineProperty({ name: 'dws' }, 'env', { get: boom, enumerable: true })],
  ['a throwing getter on meterProvider.getMeter', () => ({ name: 'dws', meterProvider: Object.defineProperty({}, 'getMeter', { get: boom }) })],
  ['options as a throwing Proxy', () => throwingProxy()],
  ['defaults as a throwing Proxy', () => ({ name: 'dws', defaults: throwingProxy() })],
  ['env as a throwing Proxy', () => ({ name: 'dws', env: throwingProxy() })],
  [
    'env with a throwing getter for one variable',
    () => ({ name: 'dws', env: Object.defineProperty({}, 'DWS_TELEMETRY_ENABLED', { get: boom, enumerable: true }) }),
  ],
];

for (const [label, make] of cases) {
  test(`${label}: CmdtelOptionsError, not the host's exception`, () => {
    assert.throws(
      () => createTelemetry(make()),
      (error) => {
        assert.ok(error instanceof CmdtelOptionsError, `got ${error?.constructor?.name}: ${error?.message}`);
        assert.ok(!(error instanceof HostError));
        return true;
      },
    );
  });
}
