/**
 * cmdtel: every command-line invocation as OpenTelemetry metrics — off by
 * default, never in the command's way, never leaking. This file is the whole
 * public surface; nothing runs at import time.
 */
export { createTelemetry } from './start/telemetry.js';
export type { Telemetry, TelemetryStatus, Invocation } from './vocabulary/telemetry.js';
export type { TelemetryOptions } from './start/options.js';
export type { CommandPathMapper } from './start/command-path.js';
export type { StartInput, EndInput, Outcome } from './vocabulary/invocation-event.js';
export type { DecisionReason } from './vocabulary/decision-reason.js';
export { CmdtelOptionsError } from './start/errors.js';
export { ATTRIBUTE } from './vocabulary/attributes.js';
export { INVOCATIONS_METRIC, DURATION_METRIC, DURATION_BUCKETS_SECONDS } from './vocabulary/instruments.js';
export { INVALID_MARKER, UNKNOWN_MARKER } from './vocabulary/coarse.js';
