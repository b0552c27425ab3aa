import { createDisabledTelemetry } from './disabled-telemetry.js';
import { decide, type DecisionReason } from './decision.js';
import { envNames, readEnv, type EnvNames } from './env-names.js';
import type { Invocation } from './invocation.js';
import type { StartInput } from './invocation-event.js';
import { loadRuntime } from './load-runtime.js';
import { resolveConfigDir } from './config-dir.js';
import { resolveOptions, type TelemetryOptions } from './options.js';
import { readUserChoice } from './user-choice.js';
import { readSwitch } from './switches.js';
import { createWarn, writeStderr } from './warnings.js';

/** Whether telemetry is on, why, and where it goes. */
export interface TelemetryStatus {
  readonly enabled: boolean;
  readonly reason: DecisionReason;
  /** The variable or setting that decided. */
  readonly source: string;
  /** Where events go, credentials redacted; undefined when off. */
  readonly destination: string | undefined;
  /**
   * Why the host MeterProvider the options asked for (`meterProvider`,
   * `useGlobalMeterProvider`) cannot be used, e.g. undefined or the API's no-op
   * provider; undefined when none was asked for or it is in use.
   */
  readonly meterProviderProblem: string | undefined;
  /** The environment variable names for this CLI, for help texts. */
  readonly env: EnvNames;
  readonly configDir: string;
}

export interface Telemetry {
  /** Decided once, at creation. */
  readonly enabled: boolean;
  readonly status: TelemetryStatus;
  /** Starts timing one command. Cheap and inert when telemetry is off. */
  start(input: StartInput): Invocation;
  /** Delivers what is pending; resolves within the configured timeout; never rejects. */
  shutdown(): Promise<void>;
}

/**
 * Creates the telemetry for one CLI process. This module is what every CLI
 * loads on every start: it decides on/off with string comparisons and loads
 * the rest (`runtime.ts`) only when telemetry is on.
 *
 * Throws {@link CmdtelOptionsError} only for mistakes in `options`; the
 * environment is never a reason to throw.
 */
export function createTelemetry(options: TelemetryOptions): Telemetry {
  const resolved = resolveOptions(options);
  const names = envNames(resolved.envPrefix);
  const warn = createWarn();
  // Resolved on first need: it takes the home directory, which costs a module load.
  let configDir: string | undefined;
  const getConfigDir = () => (configDir ??= resolveConfigDir(resolved, names));
  const decision = decide({
    env: resolved.env,
    names,
    hasDefaultUrl: resolved.defaultUrl !== undefined,
    hasMeterProvider: resolved.meterProvider !== undefined,
    meterProviderUnusable: resolved.meterProviderProblem !== undefined,
    userChoice: () => readUserChoice(getConfigDir()),
    warn,
  });
  if (!decision.enabled) {
    const problem = resolved.meterProviderProblem;
    // The runtime (and its debug log) is not loaded when off, so the one line an unusable provider needs is written here.
    if (problem !== undefined && readSwitch(readEnv(resolved.env, names.debug) ?? '') === 'on') {
      writeStderr(`cmdtel debug: telemetry off (${decision.reason}): host MeterProvider not used: ${problem}\n`);
    }
    return createDisabledTelemetry(decision, names, getConfigDir, problem);
  }

  return loadRuntime().createEnabledTelemetry(resolved, decision, names, getConfigDir(), warn);
}
