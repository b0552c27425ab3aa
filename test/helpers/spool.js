// Looking at a spool from the outside: its sender log, and the sender processes it names.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A config dir for one test. After the test: waits (bounded) for every sender
 * that the test's commands started to exit, kills any that did not (by pid,
 * from the spool's own log), then removes the dir.
 */
export function spoolHome(t) {
  const configDir = mkdtempSync(join(tmpdir(), 'cmdtel-delivery-'));
  const root = join(configDir, 'telemetry-spool');
  t.after(async () => {
    const alive = await sendersGone(root, 10_000);
    for (const pid of alive) process.kill(pid, 'SIGKILL');
    rmSync(configDir, { recursive: true, force: true });
  });
  return { configDir, root };
}

export function senderLog(root) {
  let text = '';
  try {
    text = readFileSync(join(root, 'sender.log'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** Each sender's life as logged: from `start` to `exit` (or still running: Infinity). */
export function senderLives(root) {
  const lives = new Map();
  for (const entry of senderLog(root)) {
    const life = lives.get(entry.pid) ?? { pid: entry.pid, start: Infinity, exit: Infinity, why: undefined };
    if (entry.what === 'start') life.start = entry.t;
    if (entry.what === 'exit') {
      life.exit = entry.t;
      life.why = entry.why;
    }
    lives.set(entry.pid, life);
  }
  return [...lives.values()].sort((a, b) => a.start - b.start);
}

/** The largest number of senders whose logged lives overlap at any moment. */
export function maxConcurrentSenders(root) {
  const edges = [];
  for (const life of senderLives(root)) {
    edges.push([life.start, 1], [life.exit, -1]);
  }
  // At equal times an exit comes first: one sender handing over to the next is not two at once.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let max = 0;
  for (const [, change] of edges) {
    current += change;
    max = Math.max(max, current);
  }
  return max;
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Waits up to `timeoutMs` for every logged sender process to be gone; returns the pids still alive. */
export async function sendersGone(root, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = senderLives(root)
      .map((life) => life.pid)
      .filter(isAlive);
    if (alive.length === 0 || Date.now() >= deadline) return alive;
    await sleep(50);
  }
}

/**
 * Waits (bounded) until no sender cools down in the spool's lock: a cool-down
 * (`"retry":true`, `until` ahead) means commands start no sender until it ends.
 * Returns whether it ended within `timeoutMs`.
 */
export async function coolDownOver(root, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let lock;
    try {
      lock = JSON.parse(readFileSync(join(root, 'sender.lock'), 'utf8'));
    } catch {
      return true; // no lock, or one being written by a command: not a cool-down
    }
    if (lock.retry !== true || Date.now() >= lock.until) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(50, lock.until - Date.now() + 1));
  }
}

/** Runs `count` jobs with at most `width` at a time. */
export async function inParallel(count, width, job) {
  let next = 0;
  const results = new Array(count);
  const lane = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      results[index] = await job(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, lane));
  return results;
}
