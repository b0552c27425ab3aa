import { appendFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_FILE } from '../spool/layout.js';

/** Past this size the log starts over: it is for looking at recent behaviour, not an archive. */
const MAX_LOG_BYTES = 256 * 1024;

export type SenderLog = (what: string, details?: Record<string, number | string>) => void;

/**
 * `sender.log` in the spool root: one JSON line per step of a sender's life
 * (start, own, sent, failed, exit). No event content, no credentials. It is
 * how a user (or a test) can see that senders never overlap.
 */
export function createSenderLog(root: string): SenderLog {
  const path = join(root, LOG_FILE);
  return (what, details = {}) => {
    try {
      if ((statSync(path, { throwIfNoEntry: false })?.size ?? 0) > MAX_LOG_BYTES) truncateSync(path, 0);
      appendFileSync(path, `${JSON.stringify({ t: Date.now(), pid: process.pid, what, ...details })}\n`, { mode: 0o600 });
    } catch {
      // Logging must never stop delivery.
    }
  };
}
