// Relative and ~-prefixed spool and config dirs: `~` is expanded the same way
// for the command and its sender; a relative path is refused with one warning
// naming the variable (never its value) and the default applies. Nothing is
// ever written into the working directory.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startFaultCollector } from '../helpers/fault-collector.js';
import { tally } from '../helpers/fault-scene.js';
import { fixture, tempDir } from '../helpers/paths.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';
import { sendersGone } from '../helpers/spool.js';

const cli = fixture('delivery-cli.js');
const optionCli = fixture('config-dir-cli.js');
const SENTINEL = 'rel-sentinel-7q';

async function scene(t, extra) {
  const collector = await startFaultCollector(() => 'ok');
  t.after(() => collector.close());
  const cwd = tempDir(t, 'cmdtel-cwd-');
  const home = tempDir(t, 'cmdtel-home-');
  const env = cleanEnv({
    HOME: home,
    FIXTURE_TELEMETRY_URL: collector.url,
    FIXTURE_TELEMETRY_ENABLED: '1',
    CMDTEL_SPOOL_TUNING: 'idleMs=300,pollMs=50,gatherMs=50',
    ...extra(home),
  });
  return { collector, cwd, home, env };
}

async function deliveredOnce(t, { collector, cwd }, roots) {
  const arrived = await collector.until(() => collector.invocations() >= 1, 10_000);
  const left = [];
  for (const root of roots) if (existsSync(root)) left.push(...(await sendersGone(root, 10_000)));
  // Senders that ran in the working directory wrote their spool there too (the defect): give them time.
  left.push(...(existsSync(join(cwd, SENTINEL)) ? await sendersGone(join(cwd, SENTINEL), 5_000) : []));
  t.diagnostic(`${tally(collector, 1)}; working directory holds ${JSON.stringify(readdirSync(cwd))}`);
  assert.deepEqual(readdirSync(cwd), [], 'nothing written into the working directory');
  assert.ok(arrived, tally(collector, 1));
  assert.deepEqual(left, []);
  assert.equal(collector.invocations(), 1);
}

test('a relative <P>_TELEMETRY_SPOOL_DIR: one warning naming the variable, the default spool, delivered', async (t) => {
  const s = await scene(t, (home) => ({ FIXTURE_CONFIG_DIR: join(home, 'config'), FIXTURE_TELEMETRY_SPOOL_DIR: SENTINEL }));
  const result = await runNode(cli, ['return'], { env: s.env, cwd: s.cwd });
  assert.equal(result.code, 0);
  await deliveredOnce(t, s, [join(s.home, 'config', 'telemetry-spool')]);
  assert.match(result.stderr, /^cmdtel: FIXTURE_TELEMETRY_SPOOL_DIR: [^\n]*\n$/);
  assert.ok(!result.stderr.includes(SENTINEL), 'the value is not echoed');
});

test('a relative <P>_CONFIG_DIR: one warning naming the variable, ~/.<name>, delivered', async (t) => {
  const s = await scene(t, () => ({ FIXTURE_CONFIG_DIR: SENTINEL }));
  const result = await runNode(cli, ['return'], { env: s.env, cwd: s.cwd });
  assert.equal(result.code, 0);
  await deliveredOnce(t, s, [join(s.home, '.fixture', 'telemetry-spool')]);
  assert.match(result.stderr, /^cmdtel: FIXTURE_CONFIG_DIR: [^\n]*\n$/);
  assert.ok(!result.stderr.includes(SENTINEL));
  assert.ok(existsSync(join(s.home, '.fixture', 'telemetry-spool')));
});

test('~/… spool dir: expanded to the home directory for the command and the sender', async (t) => {
  const s = await scene(t, (home) => ({ FIXTURE_CONFIG_DIR: join(home, 'config'), FIXTURE_TELEMETRY_SPOOL_DIR: '~/spool' }));
  const result = await runNode(cli, ['return'], { env: s.env, cwd: s.cwd });
  assert.equal(result.code, 0);
  assert.equal(result.stderr, '');
  await deliveredOnce(t, s, [join(s.home, 'spool')]);
  assert.ok(existsSync(join(s.home, 'spool', 'sender.log')), 'the spool is under the home directory');
});

test('~/… config dir (variable and option): expanded; a relative configDir option is a CmdtelOptionsError', async (t) => {
  const s = await scene(t, () => ({ FIXTURE_CONFIG_DIR: '~/cfg' }));
  const result = await runNode(cli, ['return'], { env: s.env, cwd: s.cwd });
  assert.equal(result.code, 0);
  assert.equal(result.stderr, '');
  const option = await runNode(optionCli, [], { env: { ...s.env, FIXTURE_OPTION_CONFIG_DIR: '~/opt' }, cwd: s.cwd });
  assert.equal(option.code, 0, option.stdout + option.stderr);
  const arrived = await s.collector.until(() => s.collector.invocations() >= 2, 10_000);
  for (const root of [join(s.home, 'cfg', 'telemetry-spool'), join(s.home, 'opt', 'telemetry-spool')])
    if (existsSync(root)) assert.deepEqual(await sendersGone(root, 10_000), []);
  t.diagnostic(`${tally(s.collector, 2)}; working directory holds ${JSON.stringify(readdirSync(s.cwd))}`);
  assert.ok(arrived);
  assert.deepEqual(readdirSync(s.cwd), []);
  assert.ok(existsSync(join(s.home, 'opt', 'telemetry-spool')));
  const relative = await runNode(optionCli, [], { env: { ...s.env, FIXTURE_OPTION_CONFIG_DIR: SENTINEL }, cwd: s.cwd });
  assert.equal(relative.stdout, 'CmdtelOptionsError\n');
  assert.deepEqual(readdirSync(s.cwd), []);
});
