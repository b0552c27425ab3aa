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
  const collector = await startCollector({ up });
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
