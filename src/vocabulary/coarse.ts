/**
 * The privacy boundary for string dimensions. Everything cmdtel records as a
 * string (command, subcommand, channel, organisation id, error class, version)
 * must look like a short token; anything else is replaced by a fixed marker so
 * the raw text — which might be a file name, a sentence or a secret — is never
 * sent or written. The collector gateway applies the same pattern again.
 */

/** Letters, digits and `._+-`, starting with a letter, digit or `_`; at most 64 characters. */
export const COARSE_TOKEN = /^[A-Za-z0-9_][A-Za-z0-9._+-]{0,63}$/;

/** Stands in for a value that did not have the shape of a coarse token. */
export const INVALID_MARKER = '_invalid';

/** Stands in for a command the CLI did not recognise (its raw text is user input). */
export const UNKNOWN_MARKER = '_unknown';

export function isCoarseToken(value: unknown): value is string {
  return typeof value === 'string' && COARSE_TOKEN.test(value);
}

/** The value itself when it is a coarse token, else the marker. Never throws. */
export function coarse(value: unknown): string {
  return isCoarseToken(value) ? value : INVALID_MARKER;
}

/** Like {@link coarse}, but absent or empty stays absent. */
export function coarseOptional(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return coarse(value);
}
