import { closeSync } from 'node:fs';
import { join } from 'node:path';
import { distDir, builtin } from '../../start/late-load.js';
import { createLock, HEARTBEAT_MS, readLock, takeOver, writeLockContent } from './lock.js';
import { formatTuning, type SpoolTuning } from './tuning.js';

/** The sender's own bundle, next to the module that imports this (dist/). */
// Relative to the running bundle's folder (dist/recording/ or dist/delivery/).
const SENDER_FILE = '../delivery/sender.js';

/**
 * Makes sure a sender will deliver the spool: a lock check on the common
 * path (a sender is running, or cooling down after an outage), a spawn only
 * when none is. The command creates the lock itself, before spawning, so a
 * burst of commands starts one sender, not one each. Never throws.
 */
export function ensureSender(root: string, tuning: SpoolTuning, onError: (error: unknown) => void): void {
  try {
    const state = readLock(root);
    if (state.held) return;
    if (state.exists) takeOver(root);
    const fd = createLock(root);
    if (fd === undefined) return; // another command won: its sender will deliver our line too
    try {
      const pid = spawnSender(root, tuning);
      writeLockContent(fd, { pid, until: Date.now() + HEARTBEAT_MS });
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    onError(error);
  }
}

/**
 * A detached process that outlives the command: no stdio, not waited for, an
 * environment with nothing of the host's (no NODE_OPTIONS to preload the host's
 * code), only what TLS needs. Its argv holds the spool path and timings, never
 * a secret: the token stays in target.json (0600).
 */
export function spawnSender(root: string, tuning: SpoolTuning): number {
  // Loaded here, not at the top: most commands find a sender already running and never spawn.
  const { spawn } = builtin('node:child_process');
  const child = spawn(process.execPath, [join(distDir(), SENDER_FILE), root, formatTuning(tuning)], {
    cwd: root,
    detached: true,
    stdio: 'ignore',
    windowsHide: true,
    env: senderEnv(process.env),
  });
  child.on('error', () => {});
  child.unref();
  if (child.pid === undefined) throw new Error('could not start the telemetry sender');
  yieldToCommands(child.pid);
  return child.pid;
}

/**
 * The sender is background work: at the lowest scheduling priority, the command that spawned it
 * (still exiting) and the next ones come first when they want the same cores. Set right after the
 * spawn, so that most of Node's start-up in the child already runs at it (threads inherit it from
 * their creator); the sender then sets it for any thread started before (sender/lowest-priority.ts).
 */
function yieldToCommands(pid: number): void {
  try {
    builtin('node:os').setPriority(pid, 19);
  } catch {
    // Not permitted here (or no such notion): the sender runs at the normal priority.
  }
}

const PASSED_ON = ['PATH', 'SYSTEMROOT', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'NODE_USE_ENV_PROXY', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'];

function senderEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of PASSED_ON) {
    const value = env[name];
    if (value !== undefined) result[name] = value;
  }
  return result;
}
