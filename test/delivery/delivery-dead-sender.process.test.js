// A dead sender is noticed: a lock naming a zombie (killed, never reaped by a
// parent that does not wait, as under a container init that does not reap)
// or a lock whose heartbeat stopped is free, and the next command's sender
// delivers within seconds.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { faultScene, tally } from '../helpers/fault-scene.js';
import { fixture } from '../helpers/paths.js';
import { runNode } from '../helpers/run-node.js';
import { sendersGone } from '../helpers/spool.js';

const cli = fixture('delivery-cli.js');

/** A child of a shell that never waits for it, killed: a real zombie. Returns its pid and the parent to stop. */
async function zombie(t) {
  // The shell starts a child in the background, then `exec`s a Node process that never spawns and so
  // never reaps: the child, once killed, stays a zombie. Only /bin/sh and node: PATH may hold nothing else.
  const idle = '"$NODE" -e "setTimeout(() => {}, 60000)"';
  const parent = spawn('/bin/sh', ['-c', `${idle} & echo $!; exec ${idle}`], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, NODE: process.execPath },
  });
  t.after(() => parent.kill('SIGKILL'));
  const pid = await new Promise((resolve) => parent.stdout.once('data', (chunk) => resolve(Number(String(chunk).trim()))));
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && processState(pid) !== 'Z'; i += 1) await sleep(10);
  assert.equal(processState(pid), 'Z', 'the child is a zombie');
  process.kill(pid, 0); // and signal 0 still reaches it: the old liveness check would call it alive
  return pid;
}

function processState(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
}

test('a lock naming a zombie sender (heartbeat still ahead): the next command starts a sender, delivered within seconds', {
  skip: process.platform !== 'linux' && 'reads /proc',
}, async (t) => {
  const { collector, home, env } = await faultScene(t, { script: () => 'ok' });
  assert.equal((await runNode(cli, ['return', 'first'], { env })).code, 0);
  assert.ok(await collector.until(() => collector.invocations() === 1));
  assert.deepEqual(await sendersGone(home.root, 10_000), []);
  const pid = await zombie(t);
  // As a sender killed mid-send leaves it: its last heartbeat reaches 10 s ahead.
  writeFileSync(join(home.root, 'sender.lock'), JSON.stringify({ pid, until: Date.now() + 10_000 }));
  const started = Date.now();
  assert.equal((await runNode(cli, ['return', 'second'], { env })).code, 0);
  const arrived = await collector.until(() => collector.invocations() >= 2, 8_000);
  const ms = Date.now() - started;
  const left = await sendersGone(home.root, 10_000);
  t.diagnostic(`${tally(collector, 2)}; delivered ${ms} ms after the command`);
  assert.ok(arrived, 'delivered while the zombie still looked alive');
  assert.ok(ms < 5_000, `${ms} ms`);
  assert.deepEqual(left, []);
  assert.equal(collector.invocations(), 2);
});

test('a lock whose heartbeat stopped (pid alive but not a sender, until passed): taken over by the next command', async (t) => {
  const { collector, home, env } = await faultScene(t, { script: () => 'ok' });
  assert.equal((await runNode(cli, ['return', 'first'], { env })).code, 0);
  assert.ok(await collector.until(() => collector.invocations() === 1));
  assert.deepEqual(await sendersGone(home.root, 10_000), []);
  // Our own pid: alive, but its heartbeat lies in the past.
  writeFileSync(join(home.root, 'sender.lock'), JSON.stringify({ pid: process.pid, until: Date.now() - 1 }));
  assert.equal((await runNode(cli, ['return', 'second'], { env })).code, 0);
  const arrived = await collector.until(() => collector.invocations() >= 2, 8_000);
  const left = await sendersGone(home.root, 10_000);
  t.diagnostic(tally(collector, 2));
  assert.ok(arrived);
  assert.deepEqual(left, []);
});
