// The stage for a fault test: a scripted collector (fault-collector.js), a
// config dir whose senders are reaped after the test, and the environment
// that points the fixture CLI (test/fixtures/delivery-cli.js) at both.
import { startFaultCollector } from './fault-collector.js';
import { sceneAround } from './delivery-scene.js';

export const FAST_TUNING = 'idleMs=400,pollMs=50,gatherMs=50,backoffMinMs=100,backoffMaxMs=400,sendTimeoutMs=600';

/**
 * @param {import('node:test').TestContext} t
 * @param {{ script: Parameters<typeof startFaultCollector>[0], tuning?: string, extra?: Record<string, string> }} options
 */
export async function faultScene(t, { script, tuning = FAST_TUNING, extra = {} }) {
  return sceneAround(t, await startFaultCollector(script), { tuning, extra });
}

/** runs / stored / duplicates / counted drops, for the test's diagnostic line. */
export function tally(collector, runs) {
  return `runs ${runs} / stored ${collector.invocations()} / duplicates ${collector.duplicates()} / counted drops ${collector.dropped()} / requests ${collector.ingested.length}`;
}
