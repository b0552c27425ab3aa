import type { Telemetry } from '../vocabulary/telemetry.js';
import type { EnvNames } from '../vocabulary/env-names.js';
import type { Decision } from './decision.js';
import { loadBundle } from './late-load.js';
import type { ResolvedOptions } from './options.js';
import type { Warn } from './warnings.js';

/** What the recording stage (`src/recording/`, built as `dist/recording/runtime.cjs`) offers the start stage. */
export interface RecordingStage {
  createEnabledTelemetry(options: ResolvedOptions, decision: Decision, names: EnvNames, configDir: string, warn: Warn): Telemetry;
}

/**
 * Loads everything telemetry needs once it is on (configuration, sinks,
 * spool, exit hooks) from `dist/recording/runtime.cjs`, synchronously, because
 * `createTelemetry` is synchronous. A CLI with telemetry off never loads it.
 * The start stage knows the recording stage only through {@link RecordingStage}: no import of it.
 */
export function loadRuntime(): RecordingStage {
  return loadBundle('../recording/runtime.cjs') as RecordingStage;
}
