import type { Decision } from './decision.js';
import type { EnvNames } from '../vocabulary/env-names.js';
import { createInertInvocation } from './inert-invocation.js';
import type { Telemetry, TelemetryStatus } from '../vocabulary/telemetry.js';
import { randomTraceId } from './trace-id.js';

/** Telemetry that is off: same shape, records nothing, loads nothing. */
export function createDisabledTelemetry(decision: Decision, names: EnvNames, configDir: () => string, meterProviderProblem?: string): Telemetry {
  const status: TelemetryStatus = {
    ...decision,
    destination: undefined,
    meterProviderProblem,
    env: names,
    get configDir() {
      return configDir();
    },
  };
  return {
    enabled: false,
    status,
    start: () => createInertInvocation(randomTraceId),
    shutdown: async () => {},
  };
}
