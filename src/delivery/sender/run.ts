import { closeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLock, HEARTBEAT_MS, ownsLock, readLock, releaseLock, renewLock, writeLockContent } from '../spool/lock.js';
import { ensureSender } from '../spool/start-sender.js';
import type { SpoolTuning } from '../spool/tuning.js';
import { deliverDir, destinationDirs, hasNewEvents, hasWork } from './deliver.js';
import type { SenderLog } from './log.js';

/** How long a freshly spawned sender waits for its spawner to write its pid into the lock. */
const ADOPTION_WAIT_MS = 2_000;

/**
 * The sender's life: own the lock, deliver until there is nothing left, wait
 * `idleMs` for more, then leave. On failures it retries with exponential
 * backoff; past `lifetimeMs` it stops, leaving a cool-down in the lock so
 * commands do not start a new sender for every invocation during an outage.
 */
export async function runSender(root: string, tuning: SpoolTuning, log: SenderLog): Promise<void> {
  const started = Date.now();
  log('start');
  if (!(await adoptLock(root))) return log('exit', { why: 'not-owner' });
  const heartbeat = setInterval(() => renewLock(root, { pid: process.pid, until: Date.now() + HEARTBEAT_MS }), HEARTBEAT_MS / 5);
  heartbeat.unref();
  try {
    log('own');
    await deliverUntilIdle(root, tuning, log, started);
  } finally {
    clearInterval(heartbeat);
  }
}

async function deliverUntilIdle(root: string, tuning: SpoolTuning, log: SenderLog, started: number): Promise<void> {
  let failures = 0;
  let sequence = 0;
  let idleSince = Date.now();
  for (;;) {
    if (!ownsLock(root)) return log('exit', { why: 'lost-lock' });
    if (failures > 0 || hasWork(root)) {
      if (failures === 0) await sleep(tuning.gatherMs);
      sequence += 1;
      const { outcome, retryAfterMs } = await attempt(root, tuning, sequence, log);
      if (outcome === 'ok') {
        failures = 0;
        idleSince = Date.now();
        // Busy past our lifetime: hand over to a fresh sender rather than live on under steady traffic.
        if (Date.now() - started > tuning.lifetimeMs && (await leave(root, tuning, log, true))) return;
        continue; // look again at once: commands may have appended meanwhile
      }
      if (outcome === 'failed') {
        failures += 1;
        if (Date.now() - started > tuning.lifetimeMs) return coolDown(root, tuning, log, tuning.cooldownMs);
        const wait = nextWait(tuning, failures, retryAfterMs);
        // Asked by the collector to wait beyond our lifetime: leave that wait in the lock as a cool-down
        // instead of living on. (Plain backoff keeps its last attempt after the lifetime, as before.)
        if (retryAfterMs !== undefined && Date.now() + wait - started > tuning.lifetimeMs) {
          return coolDown(root, tuning, log, Math.max(tuning.cooldownMs, wait));
        }
        if (!(await waitOwning(root, wait))) {
          return log('exit', { why: 'lost-lock' });
        }
        continue;
      }
    }
    const now = Date.now();
    if (now - idleSince >= tuning.idleMs || now - started > tuning.lifetimeMs) {
      if (await leave(root, tuning, log, now - started > tuning.lifetimeMs)) return;
      idleSince = Date.now();
      continue;
    }
    // Quick to notice the next command of a burst; later an idle sender barely wakes (a new line then waits ≤ slowPollMs).
    const quiet = Date.now() - idleSince;
    await sleep(Math.min(quiet < tuning.slowPollAfterMs ? tuning.pollMs : tuning.slowPollMs, Math.max(1, tuning.idleMs - quiet)));
    if (hasNewEvents(root)) idleSince = Date.now();
  }
}

type Outcome = 'ok' | 'failed' | 'nothing';

/**
 * The one retry policy: exponential backoff from `backoffMinMs` to `backoffMaxMs`, or the
 * collector's `Retry-After` when it asks for longer (capped at `retryAfterMaxMs`).
 */
export function nextWait(tuning: SpoolTuning, failures: number, retryAfterMs: number | undefined): number {
  const backoff = Math.min(tuning.backoffMaxMs, tuning.backoffMinMs * 2 ** (failures - 1));
  return retryAfterMs === undefined ? backoff : Math.max(backoff, Math.min(retryAfterMs, tuning.retryAfterMaxMs));
}

/** Sleeps, checking every second that the lock is still ours: a removed spool or a new owner ends the wait (and the sender). */
async function waitOwning(root: string, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await sleep(Math.min(1_000, end - Date.now()));
    if (!ownsLock(root)) return false;
  }
  return true;
}

async function attempt(root: string, tuning: SpoolTuning, sequence: number, log: SenderLog): Promise<{ outcome: Outcome; retryAfterMs?: number }> {
  let sent = 0;
  let failed = 0;
  let error: unknown;
  let retryAfterMs: number | undefined;
  for (const dir of destinationDirs(root)) {
    try {
      const result = await deliverDir(dir, tuning, sequence);
      sent += result.sent;
      failed += result.failed;
      error ??= result.error;
      if (result.retryAfterMs !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, result.retryAfterMs);
    } catch (problem) {
      failed += 1;
      error ??= problem;
    }
  }
  if (error !== undefined) {
    log('failed', { sent, failed, error: error instanceof Error ? error.message : String(error), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
    return retryAfterMs === undefined ? { outcome: 'failed' } : { outcome: 'failed', retryAfterMs };
  }
  if (sent > 0) log('sent', { sent });
  return { outcome: sent > 0 ? 'ok' : 'nothing' };
}

/**
 * Leaving without stranding a line: release the lock first, then look. A
 * command appends first and checks the lock second, so either it saw no lock
 * (and started a sender) or we see its line now and take the lock back.
 * Past our lifetime we hand over to a fresh sender instead.
 */
async function leave(root: string, tuning: SpoolTuning, log: SenderLog, tooOld: boolean): Promise<boolean> {
  releaseLock(root);
  if (!hasWork(root)) {
    log('exit', { why: 'idle' });
    return true;
  }
  if (tooOld) {
    ensureSender(root, tuning, () => {});
    log('exit', { why: 'lifetime' });
    return true;
  }
  const fd = createLock(root);
  if (fd === undefined) {
    log('exit', { why: 'handed-over' });
    return true;
  }
  writeLockContent(fd, { pid: process.pid, until: Date.now() + HEARTBEAT_MS });
  closeSync(fd);
  log('own', { again: 1 });
  return false;
}

function coolDown(root: string, tuning: SpoolTuning, log: SenderLog, ms: number): void {
  renewLock(root, { pid: process.pid, until: Date.now() + ms, retry: true });
  log('exit', { why: 'cool-down', ms });
}

/** The command that spawned us created the lock and writes our pid into it right after the spawn returns. */
async function adoptLock(root: string): Promise<boolean> {
  const deadline = Date.now() + ADOPTION_WAIT_MS;
  while (Date.now() < deadline) {
    if (ownsLock(root)) return true;
    const state = readLock(root);
    if (state.held && state.content !== undefined) return false;
    if (!state.held && !state.exists) {
      // Nobody holds it (the spawner died before writing): take it the normal way.
      const fd = createLock(root);
      if (fd === undefined) return false;
      writeLockContent(fd, { pid: process.pid, until: Date.now() + HEARTBEAT_MS });
      closeSync(fd);
      return true;
    }
    await sleep(10);
  }
  return false;
}
