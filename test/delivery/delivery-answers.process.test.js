// What the collector answers decides what the sender does, under one retry
// policy: a 2xx is a delivery even if the connection drops after it; a lost
// answer costs at most one more delivery of that batch; 400 and a 413 that
// splitting cannot cure are dropped and counted; 401/403 keep the events;
// Retry-After is honoured.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { faultScene, tally } from '../helpers/fault-scene.js';
import { fixture } from '../helpers/paths.js';
import { runNode } from '../helpers/run-node.js';
import { inParallel, sendersGone } from '../helpers/spool.js';

const cli = fixture('delivery-cli.js');
const REASON = 'cli.telemetry.drop.reason';
const name = (i) => `c${String(i).padStart(2, '0')}`;

async function runAll(env, count, width = 1) {
  const results = await inParallel(count, width, (i) => runNode(cli, ['return', name(i)], { env }));
  for (const result of results) assert.equal(result.code, 0, result.stderr);
}

test('a 200 status line, then the connection drops: a delivery, never resent (20 runs, 0 duplicates)', async (t) => {
  const { collector, home, env } = await faultScene(t, { script: () => 'cut' });
  await runAll(env, 20);
  assert.ok(await collector.until(() => collector.invocations() >= 20), tally(collector, 20));
  const left = await sendersGone(home.root, 10_000);
  t.diagnostic(tally(collector, 20));
  assert.deepEqual(left, [], 'no sender left retrying');
  assert.equal(collector.invocations(), 20, 'each run stored once');
  assert.equal(collector.duplicates(), 0);
  for (let i = 0; i < 20; i += 1) assert.equal(collector.perCommand().get(name(i)), 1, name(i));
});

test('the collector reads a request and never answers, then recovers: that batch is delivered once more, nothing else twice', async (t) => {
  const { collector, home, env } = await faultScene(t, { script: (index) => (index === 0 ? 'hang' : 'ok') });
  await runAll(env, 20);
  assert.ok(await collector.until(() => new Set(collector.perCommand().keys()).size >= 20), tally(collector, 20));
  const left = await sendersGone(home.root, 10_000);
  t.diagnostic(tally(collector, 20));
  assert.deepEqual(left, [], 'no sender left retrying');
  const inHung = new Set(commandsIn(collector.ingested[0]));
  assert.ok(inHung.size > 0, 'the hung request carried events');
  for (let i = 0; i < 20; i += 1) {
    assert.equal(collector.perCommand().get(name(i)), inHung.has(name(i)) ? 2 : 1, `${name(i)}: once, or twice if it was in the request whose answer was lost`);
  }
  assert.equal(collector.duplicates(), inHung.size, 'one extra delivery of the hung batch, no more');
  assert.equal(collector.dropped(), 0);
});

test('400: the batch is dropped and counted as rejected, not retried', async (t) => {
  const { collector, home, env } = await faultScene(t, { script: (index) => (index === 0 ? { status: 400 } : 'ok') });
  await runAll(env, 5, 5);
  assert.ok(await collector.until(() => collector.invocations() + collector.dropped() >= 5), tally(collector, 5));
  assert.deepEqual(await sendersGone(home.root, 10_000), []);
  const rejected = commandsIn(collector.ingested[0]);
  t.diagnostic(`${tally(collector, 5)}; rejected batch ${rejected.length}`);
  assert.equal(collector.dropped({ [REASON]: 'rejected' }), rejected.length, 'the rejected events counted');
  assert.equal(collector.invocations() + collector.dropped(), 5, 'every run stored or counted, once');
  for (const command of rejected) assert.equal(collector.perCommand().get(command) ?? 0, 0, `${command} not resent`);
});

test('413: the batch is split down to single events; one that is still too large is dropped and counted', async (t) => {
  const { collector, home, env } = await faultScene(t, {
    script: (index, request) => (request.invocations > 2 || request.commands.includes('c03') ? { status: 413 } : 'ok'),
    tuning: 'idleMs=400,pollMs=50,gatherMs=400,backoffMinMs=100,backoffMaxMs=400,sendTimeoutMs=600',
  });
  await runAll(env, 8, 8);
  assert.ok(await collector.until(() => collector.invocations() + collector.dropped() >= 8), tally(collector, 8));
  assert.deepEqual(await sendersGone(home.root, 10_000), []);
  t.diagnostic(tally(collector, 8));
  assert.equal(collector.invocations(), 7);
  assert.equal(collector.dropped({ [REASON]: 'too-large' }), 1);
  assert.equal(collector.perCommand().get('c03') ?? 0, 0);
  assert.equal(collector.duplicates(), 0);
});

test('401 and 403 keep the events (a token can be fixed): delivered once the collector accepts', async (t) => {
  const { collector, home, env } = await faultScene(t, { script: (index) => (index === 0 ? { status: 401 } : index === 1 ? { status: 403 } : 'ok') });
  await runAll(env, 3);
  assert.ok(await collector.until(() => collector.invocations() >= 3), tally(collector, 3));
  assert.deepEqual(await sendersGone(home.root, 10_000), []);
  t.diagnostic(tally(collector, 3));
  assert.equal(collector.invocations(), 3);
  assert.equal(collector.dropped(), 0);
});

for (const [form, header] of [
  ['seconds', () => '2'],
  ['an HTTP date', () => new Date(Date.now() + 3_000).toUTCString()],
]) {
  test(`Retry-After as ${form} on 503 and 429: the next attempt waits for it`, async (t) => {
    const { collector, home, env } = await faultScene(t, {
      script: (index) =>
        index === 0 ? { status: 503, headers: { 'retry-after': header() } } : index === 1 ? { status: 429, headers: { 'retry-after': header() } } : 'ok',
    });
    await runAll(env, 1);
    assert.ok(await collector.until(() => collector.invocations() >= 1, 20_000), tally(collector, 1));
    assert.deepEqual(await sendersGone(home.root, 10_000), []);
    const gaps = collector.ingested.slice(1).map((entry, i) => entry.at - collector.ingested[i].at);
    t.diagnostic(`${tally(collector, 1)}; gaps ${gaps.join(', ')} ms (backoff alone: 100-400 ms)`);
    assert.equal(collector.ingested.length, 3);
    for (const gap of gaps) assert.ok(gap >= 1_900, `waited ${gap} ms`);
    assert.equal(collector.invocations(), 1);
  });
}

test('Retry-After is capped (retryAfterMaxMs): a collector asking for an hour gets the cap', async (t) => {
  const { collector, home, env } = await faultScene(t, {
    script: (index) => (index === 0 ? { status: 503, headers: { 'retry-after': '3600' } } : 'ok'),
    tuning: 'idleMs=400,pollMs=50,gatherMs=50,backoffMinMs=100,backoffMaxMs=400,sendTimeoutMs=600,retryAfterMaxMs=1500',
  });
  await runAll(env, 1);
  assert.ok(await collector.until(() => collector.invocations() >= 1, 20_000), tally(collector, 1));
  assert.deepEqual(await sendersGone(home.root, 10_000), []);
  const gap = collector.ingested[1].at - collector.ingested[0].at;
  t.diagnostic(`gap ${gap} ms`);
  assert.ok(gap >= 1_400 && gap < 5_000, `waited ${gap} ms`);
});

function commandsIn(entry) {
  const names = [];
  for (const resource of JSON.parse(entry.body).resourceMetrics ?? []) {
    for (const scope of resource.scopeMetrics ?? []) {
      for (const metric of scope.metrics ?? []) {
        if (metric.name !== 'cli.command.invocations') continue;
        for (const point of metric.sum.dataPoints) {
          const command = point.attributes.find((attribute) => attribute.key === 'cli.command')?.value.stringValue;
          if (command !== undefined) names.push(command);
        }
      }
    }
  }
  return names;
}
