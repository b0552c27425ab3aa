// The spool's bounds and damage: what must be dropped is dropped oldest first
// and reported as cli.telemetry.dropped; a corrupt line costs only itself; an
// unusable spool directory costs the command nothing.
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { deliveryScene } from '../helpers/delivery-scene.js';
import { fixture, tempDir } from '../helpers/paths.js';
import { runNode } from '../helpers/run-node.js';
import { sendersGone } from '../helpers/spool.js';

const cli = fixture('delivery-cli.js');
const REASON = 'cli.telemetry.drop.reason';

function setup(t, { tuning = 'idleMs=300,pollMs=50,gatherMs=50,backoffMinMs=100,backoffMaxMs=200,sendTimeoutMs=500', up = true, extra = {} } = {}) {
  return deliveryScene(t, { tuning, up, extra });
}

function destinationDir(root) {
  const [name] = readdirSync(root).filter((entry) => /^[0-9a-f]{16}$/.test(entry));
  return join(root, name);
}

test('a spool over its size bound: the oldest are dropped, and the drop is counted and reported', async (t) => {
  // Each spool line is 200-220 bytes: 3000 bytes hold 13 or 14.
  const { collector, home, env } = await setup(t, {
    up: false,
    tuning: 'idleMs=300,pollMs=50,gatherMs=20,backoffMinMs=50,backoffMaxMs=100,maxBytes=3000,sendTimeoutMs=500',
  });
  for (let i = 0; i < 30; i += 1) {
    const result = await runNode(cli, ['return', `c${String(i).padStart(2, '0')}`], { env });
    assert.equal(result.code, 0, result.stderr);
  }
  collector.up = true;
  assert.ok(await collector.until(() => collector.invocations() + collector.dropped() >= 30), `${collector.invocations()} + ${collector.dropped()} of 30`);
  assert.deepEqual(await sendersGone(home.root, 5_000), []);

  const delivered = collector.invocations();
  const dropped = collector.dropped({ [REASON]: 'size' });
  t.diagnostic(`delivered ${delivered}, dropped for size ${dropped}`);
  assert.equal(delivered + dropped, 30, 'every invocation either delivered or counted as dropped');
  assert.ok(dropped > 0 && delivered > 0 && delivered <= 15, `the bound held: ${delivered} delivered`);
  for (let i = 0; i < 30; i += 1) {
    const name = `c${String(i).padStart(2, '0')}`;
    assert.equal(collector.invocations({ 'cli.command': name }), i >= 30 - delivered ? 1 : 0, `${name}: the newest are kept, the oldest dropped`);
  }
});

test('corrupt and expired spool lines are skipped and counted; the rest are delivered', async (t) => {
  const { collector, home, env } = await setup(t, {
    up: false,
    tuning: 'idleMs=300,pollMs=50,gatherMs=20,backoffMinMs=100,backoffMaxMs=200,maxAgeMs=86400000,sendTimeoutMs=500',
  });
  for (const command of ['first', 'second']) assert.equal((await runNode(cli, ['return', command], { env })).code, 0);
  const old = new Date(Date.now() - 3 * 86400000).toISOString();
  const expired = {
    schema_version: '1',
    ts: old,
    trace_id: 'ab'.repeat(16),
    cli_version: '2.0.1',
    os: 'linux',
    command: 'expired',
    subcommand: '',
    outcome: 'ok',
    exit_code: 0,
    duration_ms: 5,
  };
  appendFileSync(
    join(destinationDir(home.root), 'events.jsonl'),
    'this is not json\n{"id":"0123456789abcdef","ev":{"ts":"torn\n' + `${JSON.stringify({ id: 'fedcba9876543210', ev: expired })}\n`,
  );
  for (const command of ['third', 'fourth']) assert.equal((await runNode(cli, ['return', command], { env })).code, 0);

  collector.up = true;
  assert.ok(
    await collector.until(() => collector.invocations() >= 4 && collector.dropped() >= 3),
    `${collector.invocations()} delivered, ${collector.dropped()} dropped`,
  );
  assert.deepEqual(await sendersGone(home.root, 5_000), []);
  assert.equal(collector.invocations(), 4);
  for (const command of ['first', 'second', 'third', 'fourth']) assert.equal(collector.invocations({ 'cli.command': command }), 1, command);
  assert.equal(collector.dropped({ [REASON]: 'corrupt' }), 2, 'the two damaged lines');
  assert.equal(collector.dropped({ [REASON]: 'age' }), 1, 'the expired one');
});

test('an unusable spool directory (a path through a regular file: ENOTDIR, which even root cannot write): the command is unaffected', async (t) => {
  // As root, chmod does not stop writes, so the unwritable directory is a path under a regular file.
  const blocker = join(tempDir(t), 'not-a-dir');
  writeFileSync(blocker, '');
  const { collector, env } = await setup(t, { extra: { FIXTURE_TELEMETRY_SPOOL_DIR: join(blocker, 'spool') } });

  const normal = await runNode(cli, ['return'], { env });
  assert.equal(normal.code, 0);
  assert.equal(normal.stderr, '', 'silent');
  assert.equal(collector.invocations(), 1, 'fell back to inline delivery at shutdown()');

  const exited = await runNode(cli, ['exit'], { env });
  assert.equal(exited.code, 3, 'exit code unchanged');
  assert.equal(exited.stderr, '', 'silent');
  const debug = await runNode(cli, ['exit'], { env: { ...env, FIXTURE_TELEMETRY_DEBUG: '1' } });
  assert.equal(debug.code, 3);
  assert.match(debug.stderr, /ENOTDIR/, 'the debug output says why');
  assert.equal(statSync(blocker).size, 0);
});

test('the spool holds the token only in 0600 files in a 0700 directory', async (t) => {
  const { collector, home, env } = await setup(t, { extra: { FIXTURE_TELEMETRY_TOKEN: 'sentinel-token-42' } });
  assert.equal((await runNode(cli, ['return'], { env })).code, 0);
  assert.ok(await collector.until(() => collector.invocations() === 1));
  assert.equal(collector.accepted[0].headers.authorization, 'Bearer sentinel-token-42');
  const dir = destinationDir(home.root);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, 'target.json')).mode & 0o777, 0o600);
  assert.equal(statSync(home.root).mode & 0o077, 0);
});
