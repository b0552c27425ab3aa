// The spool survives its own disk: a short write on a full disk, a file that
// ends without a newline, invalid UTF-8 and a directory named like a claim file
// never cost a neighbouring event nor block the destination; what is lost is
// counted exactly once.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { faultScene, tally } from '../helpers/fault-scene.js';
import { fixture } from '../helpers/paths.js';
import { runNode } from '../helpers/run-node.js';
import { sendersGone } from '../helpers/spool.js';

const cli = fixture('delivery-cli.js');
const REASON = 'cli.telemetry.drop.reason';
const PAGE = 4096;

function destinationDir(root) {
  const [name] = readdirSync(root).filter((entry) => /^[0-9a-f]{16}$/.test(entry));
  return join(root, name);
}

/** A sender cooling down (as after an outage): commands append and start none, so the test controls the files. */
function holdSenders(root) {
  writeFileSync(join(root, 'sender.lock'), JSON.stringify({ pid: 1, until: Date.now() + 60_000, retry: true }));
}

async function run(env, command, extra = {}) {
  const result = await runNode(cli, ['return', command], { env: { ...env, ...extra } });
  assert.equal(result.code, 0, result.stderr);
  return result;
}

/** mount(8) by name, then by its usual absolute paths (PATH may hold only node and npm); the one that worked, or undefined. */
function mountTmpfs(dir) {
  for (const [mount, umount] of [
    ['mount', 'umount'],
    ['/bin/mount', '/bin/umount'],
    ['/usr/bin/mount', '/usr/bin/umount'],
  ]) {
    try {
      execFileSync(mount, ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
      return umount;
    } catch {
      // not there, or not allowed
    }
  }
  return undefined;
}

test('a full disk (a 64 KiB tmpfs, else a simulated short write): the torn line is counted once as corrupt, the next event survives, ENOSPC falls back to inline', async (t) => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'cmdtel-tmpfs-'));
  const umount = process.platform === 'linux' ? mountTmpfs(mountPoint) : undefined;
  const root = join(mountPoint, 'spool');
  const { collector, env } = await faultScene(t, { script: () => 'ok', extra: { FIXTURE_TELEMETRY_SPOOL_DIR: root } });
  // Registered last, so it runs after the scene's own clean-up (hooks run in order).
  t.after(async () => {
    for (const pid of await sendersGone(root, 10_000)) process.kill(pid, 'SIGKILL');
    if (umount !== undefined) execFileSync(umount, [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });
  t.diagnostic(
    umount === undefined
      ? 'no tmpfs could be mounted here: the short write and ENOSPC are simulated (test/fixtures/short-write.cjs)'
      : 'on a real 64 KiB tmpfs',
  );
  await run(env, 'first');
  assert.ok(await collector.until(() => collector.invocations() === 1));
  assert.deepEqual(await sendersGone(root, 10_000), []);
  holdSenders(root);
  await run(env, 'second');
  let filler;
  const full = { FIXTURE_TELEMETRY_DEBUG: '1' };
  if (umount !== undefined) {
    const events = join(destinationDir(root), 'events.jsonl');
    // Blank lines (skipped by the reader) until 100 bytes are left in the file's last page...
    appendFileSync(events, '\n'.repeat(PAGE - 100 - (statSync(events).size % PAGE)));
    // ...and every other page of the file system taken.
    filler = join(mountPoint, 'filler');
    const fd = openSync(filler, 'w');
    try {
      for (;;) writeSync(fd, Buffer.alloc(512));
    } catch (error) {
      assert.equal(error.code, 'ENOSPC');
    } finally {
      closeSync(fd);
    }
  }
  const simulate = (mode) =>
    umount === undefined
      ? { nodeArgs: ['--require', fixture('short-write.cjs')], env: { ...env, ...full, FIXTURE_SHORT_WRITE: mode } }
      : { env: { ...env, ...full } };
  const torn = await runNode(cli, ['return', 'torn'], simulate('torn'));
  const noSpace = await runNode(cli, ['return', 'nospace'], simulate('nospace'));
  assert.equal(torn.code, 0, torn.stderr);
  assert.equal(noSpace.code, 0, noSpace.stderr);
  t.diagnostic(
    `torn: ${torn.stderr
      .split('\n')
      .filter((line) => line.includes('problem'))
      .join(' | ')}`,
  );
  t.diagnostic(
    `nospace: ${noSpace.stderr
      .split('\n')
      .filter((line) => line.includes('problem'))
      .join(' | ')}`,
  );
  assert.match(torn.stderr, /stopped short/);
  assert.match(noSpace.stderr, /ENOSPC/);
  if (filler !== undefined) rmSync(filler);
  rmSync(join(root, 'sender.lock'));
  await run(env, 'after');
  const settled = await collector.until(() => collector.invocations() + collector.dropped() >= 5, 10_000);
  const left = await sendersGone(root, 10_000);
  t.diagnostic(`${tally(collector, 5)}; per command ${JSON.stringify(Object.fromEntries(collector.perCommand()))}`);
  assert.ok(settled);
  assert.deepEqual(left, []);
  for (const command of ['first', 'second', 'nospace', 'after']) assert.equal(collector.perCommand().get(command), 1, command);
  assert.equal(collector.perCommand().get('torn') ?? 0, 0, 'the torn line is lost...');
  assert.equal(collector.dropped({ [REASON]: 'corrupt' }), 1, '...and counted exactly once');
  assert.equal(collector.dropped(), 1);
});

test('a spool file ending without a newline: the next event is not swallowed; the fragment is counted once', async (t) => {
  const { collector, home, env } = await faultScene(t, { script: () => 'ok' });
  await run(env, 'first');
  assert.ok(await collector.until(() => collector.invocations() === 1));
  assert.deepEqual(await sendersGone(home.root, 10_000), []);
  holdSenders(home.root);
  await run(env, 'second');
  appendFileSync(join(destinationDir(home.root), 'events.jsonl'), '{"id":"0123456789abcdef","ev":{"ts":"2026-');
  await run(env, 'third');
  rmSync(join(home.root, 'sender.lock'));
  await run(env, 'fourth');
  const settled = await collector.until(() => collector.invocations() + collector.dropped() >= 5, 10_000);
  const left = await sendersGone(home.root, 10_000);
  t.diagnostic(`${tally(collector, 4)} (+1 fragment); per command ${JSON.stringify(Object.fromEntries(collector.perCommand()))}`);
  assert.ok(settled);
  assert.deepEqual(left, []);
  for (const command of ['first', 'second', 'third', 'fourth']) assert.equal(collector.perCommand().get(command), 1, command);
  assert.equal(collector.dropped({ [REASON]: 'corrupt' }), 1);
});

test('invalid UTF-8 in a spool line: counted as one corrupt line, every other event delivered once', async (t) => {
  const { collector, home, env } = await faultScene(t, { script: () => 'ok' });
  await run(env, 'first');
  assert.ok(await collector.until(() => collector.invocations() === 1));
  assert.deepEqual(await sendersGone(home.root, 10_000), []);
  holdSenders(home.root);
  await run(env, 'second');
  appendFileSync(
    join(destinationDir(home.root), 'events.jsonl'),
    Buffer.concat([Buffer.from('{"id":"0123456789abcdef","ev":{"command":"'), Buffer.from([0xff, 0xfe, 0xfd, 0xc3]), Buffer.from('"}}\n')]),
  );
  await run(env, 'third');
  rmSync(join(home.root, 'sender.lock'));
  await run(env, 'fourth');
  const settled = await collector.until(() => collector.invocations() >= 4 && collector.dropped() >= 1, 10_000);
  const left = await sendersGone(home.root, 10_000);
  t.diagnostic(`${tally(collector, 4)} (+1 bad line); per command ${JSON.stringify(Object.fromEntries(collector.perCommand()))}`);
  assert.ok(settled);
  assert.deepEqual(left, []);
  for (const command of ['first', 'second', 'third', 'fourth']) assert.equal(collector.perCommand().get(command), 1, command);
  assert.equal(collector.dropped({ [REASON]: 'corrupt' }), 1, 'one bad line, one count');
  assert.equal(collector.dropped(), 1);
});

test('a directory named like a claim file never blocks the destination', async (t) => {
  const { collector, home, env } = await faultScene(t, { script: () => 'ok' });
  await run(env, 'first');
  assert.ok(await collector.until(() => collector.invocations() === 1));
  assert.deepEqual(await sendersGone(home.root, 10_000), []);
  mkdirSync(join(destinationDir(home.root), 'claim-1-1-1.jsonl'));
  await run(env, 'second');
  await run(env, 'third');
  const settled = await collector.until(() => collector.invocations() >= 3, 10_000);
  const left = await sendersGone(home.root, 10_000);
  t.diagnostic(tally(collector, 3));
  assert.ok(settled);
  assert.deepEqual(left, []);
  for (const command of ['first', 'second', 'third']) assert.equal(collector.perCommand().get(command), 1, command);
  assert.equal(collector.dropped(), 0);
});
