/**
 * Reading on/off switches from the environment. These run on every CLI start,
 * including when telemetry ends up off, so they are plain string comparisons.
 */

const TRUTHY = new Set(['1', 'true', 'yes', 'on']);
const FALSY = new Set(['0', 'false', 'no', 'off']);

export type Switch = 'on' | 'off' | 'unrecognised';

/** `1, true, yes, on` are on and `0, false, no, off` are off, case-insensitively. */
export function readSwitch(value: string): Switch {
  const normalised = value.toLowerCase();
  if (TRUTHY.has(normalised)) return 'on';
  if (FALSY.has(normalised)) return 'off';
  return 'unrecognised';
}

/**
 * An opt-out is honoured for any value that is not plainly "off": someone who
 * wrote `DO_NOT_TRACK=please` meant it, and erring towards privacy costs nothing.
 */
export function isOptOut(value: string | undefined): boolean {
  return value !== undefined && readSwitch(value) !== 'off';
}
