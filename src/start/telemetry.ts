import { createDisabledTelemetry } from './disabled-telemetry.js';
import { decide } from './decision.js';
import { envNames, readEnv } from '../vocabulary/env-names.js';
import { useCodeCache } from './late-load.js';
import { loadRuntime } from './load-runtime.js';
import { resolveConfigDir } from './config-dir.js';
import { resolveOptions, type TelemetryOptions } from './options.js';
import { findProjectOptOut } from './project-opt-out.js';
import { readUserChoice } from './user-choice.js';
import { readSwitch } from './switches.js';
import { createWarn, writeStderr } from './warnings.js';
import type { Telemetry } from '../vocabulary/telemetry.js';

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
  const getConfigDir = () => (configDir ??= resolveConfigDir(resolved, names, warn));
  const decision = decide({
    env: resolved.env,
    names,
    hasDefaultUrl: resolved.defaultUrl !== undefined,
    hasMeterProvider: resolved.meterProvider !== undefined,
    meterProviderUnusable: resolved.meterProviderProblem !== undefined,
    userChoice: () => readUserChoice(getConfigDir()),
    projectOptOut: () => (resolved.projectOptOut ? 'projectOptOut option' : findProjectOptOut(resolved.name, resolved.projectDir, getConfigDir())),
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

  useCodeCache(getConfigDir());
  return loadRuntime().createEnabledTelemetry(resolved, decision, names, getConfigDir(), warn);
}
