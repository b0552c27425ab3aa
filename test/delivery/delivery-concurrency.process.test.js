// Many commands at once: every invocation counted exactly once, and never
// more than one sender per spool.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deliveryScene } from '../helpers/delivery-scene.js';
import { fixture } from '../helpers/paths.js';
import { runNode } from '../helpers/run-node.js';
import { inParallel, maxConcurrentSenders, senderLives, sendersGone } from '../helpers/spool.js';

const cli = fixture('delivery-cli.js');
const IDLE_MS = 500;

function setup(t, tuning = `idleMs=${IDLE_MS},pollMs=20`) {
  return deliveryScene(t, { tuning });
}

async function expectExactly(t, collector, home, expected) {
  assert.ok(await collector.until(() => collector.invocations() >= expected, 30_000), `got ${collector.invocations()} of ${expected}`);
  const alive = await sendersGone(home.root, IDLE_MS + 5_000);
  assert.deepEqual(alive, [], 'no sender left after its idle time');
  assert.equal(collector.invocations(), expected, 'each invocation counted exactly once');
  const lives = senderLives(home.root);
  const reasons = {};
  for (const life of lives) reasons[life.why] = (reasons[life.why] ?? 0) + 1;
  t.diagnostic(
    `${expected} invocations in ${collector.accepted.length} requests by ${lives.length} sender(s) (exits: ${JSON.stringify(reasons)}); ` +
      `max concurrent ${maxConcurrentSenders(home.root)}`,
  );
  assert.equal(maxConcurrentSenders(home.root), 1, 'never more than one sender at a time');
  assert.ok(
    lives.every((life) => life.why !== 'not-owner'),
    'no sender was started only to find another in charge',
  );
}

test('50 concurrent invocations: exact count, one sender at a time', async (t) => {
  const { collector, home, env } = await setup(t);
  const results = await Promise.all(Array.from({ length: 50 }, () => runNode(cli, ['return'], { env, timeoutMs: 60_000 })));
  for (const result of results) assert.equal(result.code, 0, result.stderr);
  await expectExactly(t, collector, home, 50);
});

test('a burst of 200 invocations: exact count, at most one sender alive at any moment, none left after its idle time', async (t) => {
  // A short lifetime, so busy senders also hand over to fresh ones during the burst.
  const { collector, home, env } = await setup(t, `idleMs=${IDLE_MS},pollMs=20,lifetimeMs=1500`);
  const results = await inParallel(200, 8, () => runNode(cli, ['return'], { env, timeoutMs: 60_000 }));
  for (const result of results) assert.equal(result.code, 0, result.stderr);
  await expectExactly(t, collector, home, 200);
  assert.ok(collector.accepted.length < 200, `batched: ${collector.accepted.length} requests for 200 invocations`);
});

test('appends racing the sender: 4 processes × 500 invocations while the sender claims every few ms, each counted once', async (t) => {
  const { collector, home, env } = await setup(t, `idleMs=${IDLE_MS},pollMs=2,gatherMs=1`);
  const results = await Promise.all(
    Array.from({ length: 4 }, () => runNode(cli, ['many'], { env: { ...env, FIXTURE_COUNT: '500', FIXTURE_PAUSE_MS: '1' }, timeoutMs: 60_000 })),
  );
  for (const result of results) assert.equal(result.code, 0, result.stderr);
  await expectExactly(t, collector, home, 2000);
  assert.ok(collector.accepted.length >= 10, `the sender claimed while the writers wrote (${collector.accepted.length} requests)`);
});
