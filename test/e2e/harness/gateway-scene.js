// The scene several e2e files share: a real Prometheus, the Prometheus gateway in front of it
// (1 s flush so counts arrive quickly), and a temporary directory for the CLI runs' homes.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startCollector } from './collector.js';
import { startPrometheus } from './prometheus.js';

/**
 * Starts the scene; `stop()` ends both servers and removes the directory (safe after a partial start).
 * @param {{ prefix: string, token: string }} options
 */
export async function startGatewayScene({ prefix, token }) {
  assert.ok(existsSync(join(ROOT, 'dist', 'start', 'index.js')), 'dist/ is missing: run `npm run build` (npm run test:e2e does)');
  const scene = { dir: undefined, prom: undefined, collector: undefined };
  scene.stop = async () => {
    await scene.collector?.stop();
    await scene.prom?.stop();
    if (scene.dir) await rm(scene.dir, { recursive: true, force: true });
  };
  try {
    scene.dir = await mkdtemp(join(tmpdir(), prefix));
    scene.prom = await startPrometheus();
    scene.collector = await startCollector({
      config: 'gateway-prometheus',
      env: { CMDTEL_COLLECTOR_TOKENS: `[${token}]`, CMDTEL_PROMETHEUS_RW_URL: scene.prom.remoteWriteUrl, CMDTEL_FLUSH_INTERVAL: '1s' },
    });
  } catch (error) {
    await scene.stop();
    throw error;
  }
  return scene;
}

/**
 * Whether the spool holds nothing a sender could still send: no new lines, no claim, nothing pending
 * (a sender keeps lines in pending.jsonl until the collector accepted them; docs/delivery.md).
 */
export function spoolDrained(spool) {
  if (!existsSync(spool)) return true; // inline delivery: no spool at all
  try {
    for (const entry of readdirSync(spool, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.includes('.')) continue; // a destination dir is 16 hex, no dot
      for (const name of readdirSync(join(spool, entry.name))) {
        if (name.startsWith('claim-')) return false;
        if ((name === 'events.jsonl' || name === 'pending.jsonl') && statSync(join(spool, entry.name, name)).size > 0) return false;
      }
    }
    return true;
  } catch {
    return false; // a file renamed while we looked: look again
  }
}

/**
 * Ends the spool's sender, found by the pid in its lock, if it still runs: with the spool drained it
 * has nothing left to send and would otherwise idle on for its 30 s after the test.
 */
export function stopSender(spool) {
  try {
    const { pid } = JSON.parse(readFileSync(join(spool, 'sender.lock'), 'utf8'));
    process.kill(pid, 'SIGTERM');
  } catch {
    // No lock, or the sender already left.
  }
}
