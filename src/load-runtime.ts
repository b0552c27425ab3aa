import { nodeRequire } from './node-require.js';

type Runtime = typeof import('./runtime.js');

/**
 * Loads everything telemetry needs once it is on (configuration, sinks,
 * spool, exit hooks) from `dist/runtime.cjs`, synchronously, because
 * `createTelemetry` is synchronous. A CLI with telemetry off never loads it.
 */
export function loadRuntime(): Runtime {
  return nodeRequire('./runtime.cjs') as Runtime;
}
