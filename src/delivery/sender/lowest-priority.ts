import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

const LOWEST = 19;

/**
 * Puts every thread of this process at the lowest priority. The command that spawned us already
 * set it right after the spawn, but Node may have started a thread or two before that call (each
 * Linux thread has its own nice value, and a new thread inherits its creator's): so on Linux each
 * thread in /proc/self/task is set by its id; elsewhere the priority is per process. Threads made
 * later (libuv's pool) are made by the main thread and inherit it. Best effort, never throws.
 */
export function takeLowestPriority(): void {
  try {
    setPriority(LOWEST);
    if (process.platform !== 'linux') return;
    for (const tid of readdirSync('/proc/self/task')) setPriority(Number(tid), LOWEST);
  } catch {
    // Not permitted or no /proc: as the spawner left it.
  }
}
