// The stage for a background-delivery test: a collector on loopback, a
// config dir whose senders are reaped after the test, and the environment
// that points the fixture CLI (test/fixtures/delivery-cli.js) at both.
import { startCollector } from './collector.js';
import { cleanEnv } from './run-node.js';
import { spoolHome } from './spool.js';

/**
 * @param {import('node:test').TestContext} t
 * @param {{ tuning: string, up?: boolean, extra?: Record<string, string> }} options
 *   tuning: CMDTEL_SPOOL_TUNING (short timings keep tests fast); up: whether the collector accepts at first
 */
export async function deliveryScene(t, { tuning, up = true, extra = {} }) {
  return sceneAround(t, await startCollector({ up }), { tuning, extra });
}

/**
 * The rest of a scene around any loopback collector (this one, or fault-collector.js's scripted one):
 * closed after the test, a config dir whose senders are reaped, and the fixture CLI's environment.
 */
export function sceneAround(t, collector, { tuning, extra = {} }) {
  t.after(() => collector.close());
  const home = spoolHome(t);
  const env = cleanEnv({
    FIXTURE_CONFIG_DIR: home.configDir,
    FIXTURE_TELEMETRY_URL: collector.url,
    FIXTURE_TELEMETRY_ENABLED: '1',
    CMDTEL_SPOOL_TUNING: tuning,
    ...extra,
  });
  return { collector, home, env };
}
