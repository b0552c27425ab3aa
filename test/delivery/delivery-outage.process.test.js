// The collector down for 300 invocations, then up: all 300 arrive, each once. And what a
// cool-down means for the lines written during it: they wait for the first command after it.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { deliveryScene } from '../helpers/delivery-scene.js';
import { fixture } from '../helpers/paths.js';
import { runNode } from '../helpers/run-node.js';
import { coolDownOver, inParallel, maxConcurrentSenders, senderLives, sendersGone } from '../helpers/spool.js';

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
  // A command that lands in a cool-down starts no sender, by design: its line waits for the first
  // command after the cool-down (docs/delivery.md). So wait until the outage's senders are gone and
  // their cool-down is over: the next command must then start the sender that delivers everything.
  assert.deepEqual(await sendersGone(home.root, 10_000), [], 'the outage senders exit within their lifetime');
  assert.ok(await coolDownOver(home.root, 5_000), 'the cool-down ends');
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

test('a command during a cool-down starts no sender; the first command after it delivers both lines', async (t) => {
  const { collector, home, env } = await deliveryScene(t, {
    tuning: 'idleMs=300,pollMs=50,gatherMs=50,backoffMinMs=100,backoffMaxMs=400,lifetimeMs=5000,cooldownMs=1000,sendTimeoutMs=500',
  });
  // As a sender that gave up on an outage leaves it (pid 1 is never ours; a cool-down does not need a live pid).
  mkdirSync(home.root, { recursive: true });
  writeFileSync(join(home.root, 'sender.lock'), JSON.stringify({ pid: 1, until: Date.now() + 4_000, retry: true }));

  const during = await runNode(cli, ['return'], { env });
  assert.equal(during.code, 0, during.stderr);
  assert.equal(senderLives(home.root).length, 0, 'no sender started during the cool-down');
  assert.ok(await coolDownOver(home.root, 8_000), 'the cool-down ends');
  assert.equal(collector.invocations(), 0, 'the line waited in the spool');

  const after = await runNode(cli, ['return'], { env });
  assert.equal(after.code, 0, after.stderr);
  assert.ok(await collector.until(() => collector.invocations() >= 2, 15_000), `got ${collector.invocations()} of 2`);
  assert.deepEqual(await sendersGone(home.root, 5_000), []);
  assert.equal(collector.invocations(), 2, 'both lines, each exactly once');
  assert.equal(senderLives(home.root).length, 1, 'one sender, started by the command after the cool-down');
});
