import { INVALID_MARKER } from './coarse.js';
import type { EndInput, StartInput } from './invocation-event.js';

/**
 * What a CLI hands to `start()` and `end()`, read once and defensively: the
 * object may be anything — a Proxy, a class with throwing getters. Each field
 * is read inside a guard; one that throws becomes the `_invalid` marker (a
 * name) or is left out (a number or an outcome, which then take their
 * defaults), so recording goes on with what could be read. Never throws.
 * Non-objects pass through: the event builder already treats them as empty.
 */
export function readStartInput(input: unknown): StartInput {
  if (typeof input !== 'object' || input === null) return input as StartInput;
  const copy: Record<string, unknown> = {};
  for (const key of ['command', 'subcommand', 'corpId'] as const) {
    const value = guarded(input, key, INVALID_MARKER);
    if (value !== undefined) copy[key] = value;
  }
  return copy as unknown as StartInput;
}

export function readEndInput(input: unknown): EndInput {
  if (typeof input !== 'object' || input === null) return input as EndInput;
  const copy: Record<string, unknown> = {};
  for (const [key, onThrow] of [
    ['exitCode', undefined],
    ['errorClass', INVALID_MARKER],
    ['outcome', undefined],
    ['signal', undefined],
  ] as const) {
    const value = guarded(input, key, onThrow);
    if (value !== undefined) copy[key] = value;
  }
  return copy as EndInput;
}

function guarded(object: object, key: string, onThrow: unknown): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch {
    return onThrow;
  }
}
