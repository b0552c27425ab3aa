// Child processes and polling with bounded waits, for the end-to-end harness.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` until it returns a value other than `undefined`/`false`, or throws after
 * `timeoutMs`. Exceptions from `probe` count as "not yet" (the last one is reported).
 * @template T
 * @param {() => Promise<T | undefined | false> | T | undefined | false} probe
 * @param {{ timeoutMs?: number, intervalMs?: number, what?: string }} [options]
 * @returns {Promise<T>}
 */
export async function waitFor(probe, { timeoutMs = 30_000, intervalMs = 200, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const suffix = lastError ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${suffix}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * A started child process whose stdout/stderr are kept in memory (the last `maxLogBytes`).
 * @typedef {object} ManagedProcess
 * @property {number} pid
 * @property {import('node:child_process').ChildProcess} child
 * @property {() => string} logs          stdout and stderr so far, interleaved
 * @property {() => number | null} exitCode  the exit code once exited, else null
 * @property {(timeoutMs?: number) => Promise<void>} stop  SIGTERM, then SIGKILL after timeoutMs
 */

/**
 * Spawns `command` (never through a shell) and keeps its output.
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, maxLogBytes?: number }} [options]
 * @returns {ManagedProcess}
 */
export function startProcess(command, args, { env = process.env, cwd, maxLogBytes = 4 * 1024 * 1024 } = {}) {
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const append = (chunk) => {
    output += chunk.toString('utf8');
    if (output.length > maxLogBytes) output = output.slice(output.length - maxLogBytes);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let exited = child.exitCode !== null;
  const exitPromise = new Promise((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (error) => {
      append(`spawn error: ${error.message}\n`);
      exited = true;
      resolve();
    });
  });
  // Resolves true when the child exits within `ms`, else false; the timer never outlives it.
  const exitedWithin = (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      exitPromise.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  return {
    pid: child.pid,
    child,
    logs: () => output,
    exitCode: () => child.exitCode,
    async stop(timeoutMs = 10_000) {
      if (exited) return;
      child.kill('SIGTERM');
      if (!(await exitedWithin(timeoutMs)) && !exited) {
        child.kill('SIGKILL');
        await exitedWithin(5_000);
      }
    },
  };
}

/**
 * Runs a command to completion and collects its output, killing it after `timeoutMs`.
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, timeoutMs?: number, input?: string }} [options]
 * @returns {Promise<{ code: number | null, signal: string | null, stdout: string, stderr: string }>}
 */
export function runProcess(command, args, { env = process.env, cwd, timeoutMs = 60_000, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    if (input !== undefined) child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Runs `tasks` (functions returning promises) with at most `limit` in flight; resolves to their
 * results in order. After a failure no new task starts; the ones already running are awaited (so
 * nothing is still writing when the caller cleans up), then the first error is thrown.
 * @template T
 * @param {Array<() => Promise<T>>} tasks
 * @param {number} limit
 * @returns {Promise<T[]>}
 */
export async function runPool(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  let failure;
  async function worker() {
    while (next < tasks.length && !failure) {
      const index = next++;
      try {
        results[index] = await tasks[index]();
      } catch (error) {
        failure ??= { error };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
