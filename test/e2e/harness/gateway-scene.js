// The scene several e2e files share: a real Prometheus, the Prometheus gateway in front of it
// (1 s flush so counts arrive quickly), and a temporary directory for the CLI runs' homes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
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

/** Whether a sender holds the spool's lock and is alive (see docs/delivery.md). */
export function senderRunning(spool) {
  try {
    const { pid, until } = JSON.parse(readFileSync(join(spool, 'sender.lock'), 'utf8'));
    if (until < Date.now()) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
