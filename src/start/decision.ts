import { readEnv, STANDARD_ENV, type Env, type EnvNames } from '../vocabulary/env-names.js';
import { isOptOut, readSwitch } from './switches.js';
import type { Warn } from './warnings.js';
import type { DecisionReason } from '../vocabulary/decision-reason.js';

export type { DecisionReason };

export interface Decision {
  readonly enabled: boolean;
  readonly reason: DecisionReason;
  /** The variable or setting that decided, for messages such as `telemetry status`. */
  readonly source: string;
}

export interface DecisionInputs {
  readonly env: Env;
  readonly names: EnvNames;
  readonly hasDefaultUrl: boolean;
  readonly hasMeterProvider: boolean;
  /** A host provider was asked for (option or global) but cannot be used: named instead of "nowhere to send". */
  readonly meterProviderUnusable: boolean;
  /** The choice saved by `mycli telemetry enable|disable`; read only when the environment did not decide. */
  readonly userChoice: () => 'on' | 'off' | undefined;
  /**
   * Where this project opted out (the option, or the committed file), else
   * undefined. Asked only when every other step said on: a run that is off
   * never looks for it.
   */
  readonly projectOptOut: () => string | undefined;
  readonly warn: Warn;
}

/**
 * The on/off decision, in the reference's order plus the standard opt-outs:
 * 1. a hard opt-out (`<P>_TELEMETRY_DISABLED`, `DO_NOT_TRACK`, `OTEL_SDK_DISABLED=true`) → off;
 * 2. nowhere to send (no URL from env, OTEL_* or a baked-in default; no file; no host provider) → off;
 * 3. `<P>_TELEMETRY_ENABLED` set → on exactly when truthy;
 * 4. the user's saved choice;
 * 5. otherwise on when the distribution baked in an endpoint, a file sink is set, or the host gave its provider;
 * 6. when that said on: a project that opted out (the `projectOptOut` option, or a committed
 *    `.<name>/telemetry.json` saying `{"enabled": false}`) → off, whatever said on.
 * An unusable host provider counts as none; when telemetry then ends up off for want of a destination
 * or an opt-in, the reason is `meter-provider-unusable`, so the host sees why its provider records nothing.
 * Deliberately only string comparisons (and one small file read at step 4) until the answer is
 * on: it runs on every start, and off must stay cheap. Step 6 reads the disk only on the way to on.
 */
export function decide(inputs: DecisionInputs): Decision {
  const decision = decideFromEnvironment(inputs);
  if (!decision.enabled) return decision;
  const projectOptOut = inputs.projectOptOut();
  return projectOptOut === undefined ? decision : off('project-opt-out', projectOptOut);
}

function decideFromEnvironment(inputs: DecisionInputs): Decision {
  const { env, names } = inputs;
  if (isOptOut(readEnv(env, names.disabled))) return off('opted-out', names.disabled);
  if (isOptOut(readEnv(env, STANDARD_ENV.doNotTrack))) return off('do-not-track', STANDARD_ENV.doNotTrack);
  if (readEnv(env, STANDARD_ENV.otelSdkDisabled)?.toLowerCase() === 'true') {
    return off('otel-sdk-disabled', STANDARD_ENV.otelSdkDisabled);
  }

  const hasFile = readEnv(env, names.file) !== undefined;
  const hasUrl =
    inputs.hasDefaultUrl ||
    readEnv(env, names.url) !== undefined ||
    readEnv(env, STANDARD_ENV.otlpMetricsEndpoint) !== undefined ||
    readEnv(env, STANDARD_ENV.otlpEndpoint) !== undefined;
  if (!hasFile && !hasUrl && !inputs.hasMeterProvider) return inputs.meterProviderUnusable ? unusableProvider() : off('no-destination', 'no destination');

  const enabled = readEnv(env, names.enabled);
  if (enabled !== undefined) {
    const value = readSwitch(enabled);
    if (value === 'on') return on('enabled-by-env', names.enabled);
    if (value === 'off') return off('disabled-by-env', names.enabled);
    inputs.warn(names.enabled, 'is not one of 1, true, yes, on, 0, false, no, off; ignoring it');
  }

  const choice = inputs.userChoice();
  if (choice === 'on') return on('enabled-by-user', 'saved choice');
  if (choice === 'off') return off('disabled-by-user', 'saved choice');

  if (hasFile) return on('file-sink', names.file);
  if (inputs.hasMeterProvider) return on('host-meter-provider', 'meterProvider option');
  if (inputs.hasDefaultUrl) return on('distribution-default', 'defaults.url option');
  return inputs.meterProviderUnusable ? unusableProvider() : off('not-opted-in', names.enabled);
}

function unusableProvider(): Decision {
  return off('meter-provider-unusable', 'host MeterProvider');
}

function on(reason: DecisionReason, source: string): Decision {
  return { enabled: true, reason, source };
}

function off(reason: DecisionReason, source: string): Decision {
  return { enabled: false, reason, source };
}
