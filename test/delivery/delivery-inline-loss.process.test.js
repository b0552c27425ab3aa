// Inline delivery (the default under CI) that cannot deliver at shutdown():
// the events are kept in the spool for a sender, never silently dropped, and
// the debug output says where they went and that a discarded home loses them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFaultCollector } from '../helpers/fault-collector.js';
import { faultScene, tally } from '../helpers/fault-scene.js';
import { refusedPort } from '../helpers/otlp-listener.js';
import { fixture } from '../helpers/paths.js';
import { runNode } from '../helpers/run-node.js';
import { sendersGone } from '../helpers/spool.js';

const cli = fixture('delivery-cli.js');
const INLINE = { CI: 'true', FIXTURE_TELEMETRY_TIMEOUT_MS: '1000' };

for (const status of [503, 429]) {
  test(`inline against ${status}: kept in the spool and delivered by a sender, exactly once; debug says so`, async (t) => {
    // Unavailable for as long as the command runs (a fresh CI container: no later run), then back.
    const state = { up: false };
    const { collector, home, env } = await faultScene(t, { script: () => (state.up ? 'ok' : { status }), extra: INLINE });
    const result = await runNode(cli, ['return', 'inline'], { env: { ...env, FIXTURE_TELEMETRY_DEBUG: '1' } });
    assert.equal(result.code, 0);
    state.up = true;
    const arrived = await collector.until(() => collector.invocations() >= 1, 10_000);
    const left = await sendersGone(home.root, 10_000);
    t.diagnostic(tally(collector, 1));
    assert.ok(arrived, tally(collector, 1));
    assert.deepEqual(left, []);
    assert.equal(collector.invocations(), 1);
    assert.equal(collector.duplicates(), 0);
    assert.match(result.stderr, /kept in the spool/);
    assert.match(result.stderr, /lost if this home is discarded/);
  });
}

test('inline against a refused port (collector not yet up): kept, and delivered once it is up', async (t) => {
  const port = await refusedPort();
  const { home, env } = await faultScene(t, { script: () => 'ok', extra: { ...INLINE, FIXTURE_TELEMETRY_URL: `http://127.0.0.1:${port}` } });
  const result = await runNode(cli, ['return', 'refused'], { env: { ...env, FIXTURE_TELEMETRY_DEBUG: '1' } });
  assert.equal(result.code, 0);
  assert.match(result.stderr, /kept in the spool/);
  const collector = await startFaultCollector(() => 'ok', { port });
  t.after(() => collector.close());
  const arrived = await collector.until(() => collector.invocations() >= 1, 10_000);
  const left = await sendersGone(home.root, 10_000);
  t.diagnostic(tally(collector, 1));
  assert.ok(arrived, tally(collector, 1));
  assert.deepEqual(left, []);
  assert.equal(collector.invocations(), 1);
});

test('inline, spool unusable and the collector answering 503: debug output says the event is lost', async (t) => {
  const { collector, env } = await faultScene(t, { script: () => ({ status: 503 }), extra: { ...INLINE, FIXTURE_TELEMETRY_SPOOL_DIR: '/dev/null/spool' } });
  const result = await runNode(cli, ['return', 'lost'], { env: { ...env, FIXTURE_TELEMETRY_DEBUG: '1' } });
  assert.equal(result.code, 0);
  t.diagnostic(tally(collector, 1));
  assert.match(result.stderr, /1 event\(s\) lost/);
  const quiet = await runNode(cli, ['return', 'lost'], { env });
  assert.equal(quiet.stderr, '', 'silent without debug');
});
