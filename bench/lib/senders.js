// Background senders outlive the command being timed. The bench finds the
// ones it caused (processes whose environment or command line carries the
// run set's directory), lets them go quiet between runs so their work does
// not land in another variant's timing, and ends any left at the close.
// Linux only (/proc); elsewhere it waits a fixed time and kills nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const HAS_PROC = process.platform === 'linux';

/** Pids of live processes other than this one that carry `marker`. */
export function findStrays(marker) {
  if (!HAS_PROC) return [];
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    if (carries(entry, 'environ', marker) || carries(entry, 'cmdline', marker)) pids.push(Number(entry));
  }
  return pids.filter((pid) => cpuTicks(pid) !== undefined);
}

/**
 * Waits until every stray is gone or has used no CPU for `quietMs` (a sender
 * waiting on a dead collector costs nothing), at most `capMs`.
 */
export async function settle(marker, { quietMs = 60, capMs = 3000, pollMs = 20 } = {}) {
  if (!HAS_PROC) return sleep(Math.min(capMs, 200));
  const started = Date.now();
  let last = new Map();
  let quietSince = Date.now();
  while (Date.now() - started < capMs) {
    const now = new Map(findStrays(marker).map((pid) => [pid, cpuTicks(pid)]));
    if (now.size === 0) return;
    const busy = [...now].some(([pid, ticks]) => last.get(pid) !== ticks);
    if (busy) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) return;
    last = now;
    await sleep(pollMs);
  }
}

/**
 * At the end: gives strays `graceMs` (cmdtel's sender idles out after 30 s) to
 * finish and exit on their own, then
 * SIGTERM, then SIGKILL, each by pid. Returns what happened, for the page.
 */
export async function reapStrays(marker, { graceMs = 35_000 } = {}) {
  const seen = new Set(findStrays(marker));
  const deadline = Date.now() + graceMs;
  while (findStrays(marker).length > 0 && Date.now() < deadline) await sleep(100);
  const stubborn = findStrays(marker);
  for (const pid of stubborn) signal(pid, 'SIGTERM');
  if (stubborn.length > 0) await sleep(1000);
  const killed = findStrays(marker);
  for (const pid of killed) signal(pid, 'SIGKILL');
  return { atEnd: seen.size, exitedOnTheirOwn: seen.size - stubborn.length, terminated: stubborn.length };
}

function carries(pid, file, marker) {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'latin1').includes(marker);
  } catch {
    return false; // gone, or not ours to read
  }
}

/** utime + stime of a live process, undefined when it is gone or a zombie. */
function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined;
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/** Ends these processes (senders the bench caused), by pid. */
export function stopStrays(pids) {
  for (const pid of pids) signal(pid, 'SIGTERM');
}

function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}
