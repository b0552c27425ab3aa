import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE } from './layout.js';

/**
 * At most one sender per spool: `sender.lock`, created with O_EXCL, holds
 * `{"pid":N,"until":epoch-ms}`. It is held while `until` lies ahead and the
 * process lives; a running sender moves `until` forward as a heartbeat, and a
 * sender that gave up on a dead collector leaves a lock with `"retry":true`
 * whose `until` is the end of the cool-down (its pid has exited by design).
 * A lock that is neither is stale and may be taken over (see {@link takeOver}).
 */
export interface LockContent {
  readonly pid: number;
  readonly until: number;
  readonly retry?: boolean;
}

/** How far a running sender's heartbeat reaches; it renews well within this. */
export const HEARTBEAT_MS = 10_000;
/** A lock file with no content yet is being written by the command that just spawned a sender. */
const BEING_WRITTEN_MS = 5_000;
const STEAL_FILE = 'sender.lock.steal';

export type LockState = { readonly held: true; readonly content: LockContent | undefined } | { readonly held: false; readonly exists: boolean };

export function lockPath(root: string): string {
  return join(root, LOCK_FILE);
}

export function readLock(root: string, now = Date.now()): LockState {
  let text: string;
  let mtimeMs: number;
  try {
    text = readFileSync(lockPath(root), 'utf8');
    mtimeMs = text === '' ? statSync(lockPath(root)).mtimeMs : 0;
  } catch {
    return { held: false, exists: false };
  }
  const content = parseLock(text);
  if (content === undefined) {
    const beingWritten = text === '' && now - mtimeMs < BEING_WRITTEN_MS;
    return beingWritten ? { held: true, content: undefined } : { held: false, exists: true };
  }
  const held = now < content.until && (content.retry === true || isAlive(content.pid));
  return held ? { held, content } : { held: false, exists: true };
}

/** Creates the lock if nobody holds it; returns the open descriptor (write the content, then close) or undefined. */
export function createLock(root: string): number | undefined {
  try {
    return openSync(lockPath(root), 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return undefined;
  }
}

export function writeLockContent(fd: number, content: LockContent): void {
  writeSync(fd, JSON.stringify(content));
}

/** Rewrites the lock (heartbeat, cool-down) only while it still names this process. */
export function renewLock(root: string, content: LockContent): boolean {
  if (!ownsLock(root)) return false;
  const temporary = `${lockPath(root)}.${process.pid}`;
  try {
    writeFileSync(temporary, JSON.stringify(content), { mode: 0o600 });
    renameSync(temporary, lockPath(root));
    return true;
  } catch {
    return false; // the spool went away; the next ownership check ends the sender
  }
}

export function ownsLock(root: string): boolean {
  try {
    return parseLock(readFileSync(lockPath(root), 'utf8'))?.pid === process.pid;
  } catch {
    return false;
  }
}

export function releaseLock(root: string): void {
  if (!ownsLock(root)) return;
  try {
    unlinkSync(lockPath(root));
  } catch {
    // Already gone.
  }
}

/**
 * Removes a stale lock so the caller can create its own. Two commands may
 * find the same stale lock; only the one holding `sender.lock.steal` (O_EXCL)
 * may remove it, and it checks again under that mutex — so a fresh lock made
 * by the other is never removed. A mutex left by a crash expires.
 */
export function takeOver(root: string): void {
  const steal = join(root, STEAL_FILE);
  let fd: number;
  try {
    fd = openSync(steal, 'wx', 0o600);
  } catch {
    try {
      if (Date.now() - statSync(steal).mtimeMs > BEING_WRITTEN_MS) unlinkSync(steal);
    } catch {
      // Someone else is on it.
    }
    return;
  }
  try {
    const state = readLock(root);
    if (!state.held && state.exists) unlinkSync(lockPath(root));
  } catch {
    // Gone meanwhile: fine.
  } finally {
    closeSync(fd);
    unlinkSync(steal);
  }
}

function parseLock(text: string): LockContent | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockContent>;
    if (typeof value.pid === 'number' && typeof value.until === 'number') return value as LockContent;
  } catch {
    // Torn or empty.
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
