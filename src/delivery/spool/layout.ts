import { join } from 'node:path';
import { readEnv, type Env } from '../../vocabulary/env-names.js';
import { fingerprint } from '../../start/random-hex.js';

/**
 * The spool on disk:
 *
 *   <root>/sender.lock               who sends now (pid, until)
 *   <root>/sender.log                the senders' own short history
 *   <root>/<target id>/target.json   where to send (URL, headers incl. token), mode 0600
 *   <root>/<target id>/events.jsonl  appended by commands, one JSON line each
 *   <root>/<target id>/claim-*.jsonl taken by the sender, being moved to pending
 *   <root>/<target id>/pending.jsonl the sender's undelivered events
 *
 * One directory per destination, so an event is only ever sent where, and
 * with the credentials with which, it was recorded.
 */
export const SPOOL_DIR_NAME = 'telemetry-spool';
export const LOCK_FILE = 'sender.lock';
export const LOG_FILE = 'sender.log';
export const TARGET_FILE = 'target.json';
export const EVENTS_FILE = 'events.jsonl';
export const PENDING_FILE = 'pending.jsonl';
export const CLAIM_PREFIX = 'claim-';

/** `<P>_TELEMETRY_SPOOL_DIR`, else `<config dir>/telemetry-spool`. */
export function resolveSpoolRoot(env: Env, spoolDirVariable: string, configDir: string): string {
  return readEnv(env, spoolDirVariable) ?? join(configDir, SPOOL_DIR_NAME);
}

/** A short, stable name for a destination: the same target always lands in the same directory. */
export function targetId(targetJson: string): string {
  return fingerprint(targetJson);
}
