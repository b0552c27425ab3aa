// The collector down for 300 invocations, then up: all 300 arrive, each once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deliveryScene } from '../helpers/delivery-scene.js';
import { fixture } from '../helpers/paths.js';
import { runNode } from '../helpers/run-node.js';
import { inParallel, maxConcurrentSenders, senderLives, sendersGone } from '../helpers/spool.js';

const cli = fixture('delivery-cli.js');

test('collector down for 300 invocations, then up: all 300 counted exactly once', async (t) => {
  const { collector, home, env } = await deliveryScene(t, {
    up: false,
    // Short lives so the outage spans several senders, each retrying, giving up, cooling down.
    tuning: 'idleMs=500,pollMs=50,gatherMs=50,backoffMinMs=100,backoffMaxMs=400,lifetimeMs=2000,cooldownMs=300,sendTimeoutMs=500',
  });

  const started = Date.now();
  const results = await inParallel(300, 6, () => runNode(cli, ['return'], { env, timeoutMs: 60_000 }));
  for (const result of results) assert.equal(result.code, 0, result.stderr);
  const outageMs = Date.now() - started;
  const attemptsWhileDown = collector.attempts;
  assert.ok(attemptsWhileDown > 0, 'senders kept trying during the outage');
  assert.equal(collector.invocations(), 0);

  collector.up = true;
  // The spool is delivered by the next sender: one still retrying, or the one the next command starts.
  const next = await runNode(cli, ['return'], { env });
  assert.equal(next.code, 0, next.stderr);
  assert.ok(await collector.until(() => collector.invocations() >= 301, 30_000), `got ${collector.invocations()} of 301`);
  assert.deepEqual(await sendersGone(home.root, 5_000), []);
  assert.equal(collector.invocations(), 301, 'the 300 from the outage and the one after it, each exactly once');
  assert.equal(collector.dropped(), 0, 'nothing dropped');
  assert.equal(maxConcurrentSenders(home.root), 1);
  t.diagnostic(
    `outage ${outageMs} ms: ${attemptsWhileDown} refused attempts by ${senderLives(home.root).length} senders in all; ` +
      `delivered ${collector.invocations()} in ${collector.accepted.length} request(s); max concurrent senders ${maxConcurrentSenders(home.root)}`,
  );
});
