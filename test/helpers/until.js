// Bounded polling for the loopback collectors: a test waits for what it expects, never forever.
import { setTimeout as sleep } from 'node:timers/promises';

/** Waits until `predicate()` holds, polling every 50 ms for at most `timeoutMs`; returns whether it did. */
export async function until(predicate, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await sleep(50);
  }
  return predicate();
}
