/**
 * cmdtel: every command-line invocation as OpenTelemetry metrics — off by
 * default, never in the command's way, never leaking. This file is the whole
 * public surface; nothing runs at import time.
 */
export { createTelemetry } from './telemetry.js';
export type { Telemetry, TelemetryStatus } from './telemetry.js';
export type { TelemetryOptions } from './options.js';
export type { CommandPathMapper } from './command-path.js';
export type { Invocation } from './invocation.js';
export type { StartInput, EndInput, Outcome } from './invocation-event.js';
export type { DecisionReason } from './decision.js';
export { CmdtelOptionsError } from './errors.js';
export { ATTRIBUTE } from './attributes.js';
export { INVOCATIONS_METRIC, DURATION_METRIC, DURATION_BUCKETS_SECONDS } from './instruments.js';
export { INVALID_MARKER, UNKNOWN_MARKER } from './coarse.js';
