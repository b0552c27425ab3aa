// A sender waits a while for more work before it leaves: commands in quick succession find it and
// start none. Once quiet it looks for new lines less often, yet still delivers them itself. And it
// runs at the lowest priority, so its work yields the cores to commands.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { deliveryScene } from '../helpers/delivery-scene.js';
import { fixture } from '../helpers/paths.js';
import { runNode } from '../helpers/run-node.js';
import { senderLives, sendersGone } from '../helpers/spool.js';

const cli = fixture('delivery-cli.js');

test('a command after the sender went quiet (slow polling) is delivered by that same sender; it then idles out', async (t) => {
  const { collector, home, env } = await deliveryScene(t, {
    tuning: 'idleMs=15000,pollMs=50,gatherMs=50,slowPollAfterMs=300,slowPollMs=700',
  });
  const first = await runNode(cli, ['return'], { env });
  assert.equal(first.code, 0, first.stderr);
  assert.ok(await collector.until(() => collector.invocations() >= 1, 15_000), 'the first line is delivered');

  await sleep(1_200); // well past slowPollAfterMs, well within idleMs: the sender now polls every 700 ms
  const second = await runNode(cli, ['return'], { env });
  assert.equal(second.code, 0, second.stderr);
  // Slow polling notices it within ~0.7 s; a sender that only looked again at its idle end would take ~14 s.
  // (The margin is wide: the sender runs at nice 19 and the test may share the cores with others.)
  assert.ok(await collector.until(() => collector.invocations() >= 2, 8_000), `got ${collector.invocations()} of 2 within 8 s`);

  assert.deepEqual(await sendersGone(home.root, 25_000), [], 'the sender idles out');
  const lives = senderLives(home.root);
  assert.equal(lives.length, 1, 'one sender for both commands: the second found it running');
  assert.equal(lives[0].why, 'idle');
  assert.equal(collector.invocations(), 2, 'each line exactly once');
  t.diagnostic(`one sender lived ${lives[0].exit - lives[0].start} ms and sent ${collector.accepted.length} request(s)`);
});

/** The nice value of every thread of a process (Linux: per thread, from /proc), else the process's own. */
function threadPriorities(pid) {
  if (process.platform !== 'linux') return [getPriority(pid)];
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]); // field 19 of stat: nice
  });
}

test('the sender runs at the lowest priority, every thread of it: background work yields the cores to commands', async (t) => {
  const { collector, home, env } = await deliveryScene(t, { tuning: 'idleMs=2000,pollMs=50,gatherMs=50' });
  const run = await runNode(cli, ['return'], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(await collector.until(() => collector.invocations() >= 1, 15_000), 'delivered');
  const { pid } = JSON.parse(readFileSync(join(home.root, 'sender.lock'), 'utf8'));
  const priorities = threadPriorities(pid);
  assert.ok(priorities.length > 0);
  assert.deepEqual(new Set(priorities), new Set([19]), `nice values of the sender's threads: ${priorities.join(' ')}`);
  assert.deepEqual(await sendersGone(home.root, 10_000), []);
  t.diagnostic(`${priorities.length} threads, all at nice 19`);
});
