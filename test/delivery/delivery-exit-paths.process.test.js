// Every way a command can end delivers its invocation, through the spool and
// a background sender, to a real loopback collector.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { deliveryScene } from '../helpers/delivery-scene.js';
import { fixture } from '../helpers/paths.js';
import { runNode } from '../helpers/run-node.js';
import { sendersGone } from '../helpers/spool.js';

const cli = fixture('delivery-cli.js');
const TUNING = 'idleMs=300,pollMs=50';

function setup(t, extra = {}) {
  return deliveryScene(t, { tuning: TUNING, extra });
}

async function arrived(collector, attributes) {
  assert.ok(await collector.until(() => collector.invocations() >= 1), 'the invocation arrived within 15 s');
  assert.equal(collector.invocations(), 1, 'exactly once');
  assert.equal(collector.invocations(attributes), 1, `with ${JSON.stringify(attributes)}`);
}

/** Starts the fixture, waits for "ready", sends `signal`, and reports how it ended. */
function runUntilSignal(how, signal, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, how], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const killer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit within 10 s; stderr: ${stderr}`));
    }, 10_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.startsWith('ready\n') && !child.signalSent) {
        child.signalSent = true;
        child.kill(signal);
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code, signalName) => {
      clearTimeout(killer);
      resolve({ code, signal: signalName, stdout, stderr });
    });
  });
}

test('normal return with shutdown(): arrives; the sender exits once idle', async (t) => {
  const { collector, env, home } = await setup(t);
  const result = await runNode(cli, ['return'], { env });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  await arrived(collector, { 'cli.subcommand': 'return', 'cli.outcome': 'ok', 'process.exit.code': 0 });
  assert.deepEqual(await sendersGone(home.root, 5_000), [], 'the sender exits once idle');
});

test('normal return without shutdown(): arrives', async (t) => {
  const { collector, env } = await setup(t);
  const result = await runNode(cli, ['no-shutdown'], { env });
  assert.equal(result.code, 0, result.stderr);
  await arrived(collector, { 'cli.subcommand': 'no_shutdown', 'cli.outcome': 'ok' });
});

test('process.exit(3) without end() or an awaited shutdown(): arrives with exit code 3', async (t) => {
  const { collector, env } = await setup(t);
  const result = await runNode(cli, ['exit'], { env });
  assert.equal(result.code, 3, result.stderr);
  assert.equal(result.stderr, '');
  await arrived(collector, { 'cli.subcommand': 'exit', 'cli.outcome': 'error', 'process.exit.code': 3 });
});

for (const how of ['throw', 'reject']) {
  test(`an uncaught ${how === 'throw' ? 'exception' : 'rejection'}: arrives as exit code 1, error.type uncaught; Node's output and exit code unchanged`, async (t) => {
    const { collector, env } = await setup(t);
    const off = await runNode(cli, [how], { env: { ...env, FIXTURE_TELEMETRY_DISABLED: '1' } });
    const on = await runNode(cli, [how], { env });
    assert.equal(on.code, 1);
    assert.equal(on.code, off.code);
    assert.equal(on.stderr, off.stderr, 'the same message and stack on stderr');
    await arrived(collector, { 'cli.subcommand': how, 'cli.outcome': 'error', 'process.exit.code': 1, 'error.type': 'uncaught' });
  });
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  test(`${signal} with no listener of the host's: arrives as cancelled ${code}; the process still dies by ${signal}`, async (t) => {
    const { collector, env } = await setup(t);
    const off = await runUntilSignal('wait', signal, { ...env, FIXTURE_TELEMETRY_DISABLED: '1' });
    const on = await runUntilSignal('wait', signal, env);
    assert.equal(off.signal, signal);
    assert.equal(on.signal, signal, `died by the signal (code ${on.code}, stderr ${on.stderr})`);
    assert.equal(on.stderr, off.stderr);
    await arrived(collector, { 'cli.subcommand': 'wait', 'cli.outcome': 'cancelled', 'process.exit.code': code });
  });
}

test("SIGTERM with the host's own listener: recorded as cancelled; the host decides how the process ends (exit 7)", async (t) => {
  const { collector, env } = await setup(t);
  const result = await runUntilSignal('host-listener', 'SIGTERM', env);
  assert.equal(result.signal, null);
  assert.equal(result.code, 7);
  assert.equal(result.stdout, 'ready\nhost cleanup\n');
  await arrived(collector, { 'cli.subcommand': 'host_listener', 'cli.outcome': 'cancelled', 'process.exit.code': 143 });
});

test('SIGINT with a listener that re-raises only when alone (the signal-exit pattern): the process still dies by SIGINT', async (t) => {
  const { collector, env } = await setup(t);
  const result = await runUntilSignal('polite-listener', 'SIGINT', env);
  assert.equal(result.signal, 'SIGINT', `code ${result.code}, stderr ${result.stderr}`);
  await arrived(collector, { 'cli.subcommand': 'polite_listener', 'cli.outcome': 'cancelled', 'process.exit.code': 130 });
});

test('inline delivery: a normal end sends before exit; process.exit() without shutdown() still arrives through the spool', async (t) => {
  const { collector, env } = await setup(t, { FIXTURE_TELEMETRY_DELIVERY: 'inline' });
  const normal = await runNode(cli, ['return'], { env });
  assert.equal(normal.code, 0, normal.stderr);
  assert.equal(collector.invocations({ 'cli.subcommand': 'return' }), 1, 'sent before the process exited');
  const exited = await runNode(cli, ['exit'], { env });
  assert.equal(exited.code, 3, exited.stderr);
  assert.ok(await collector.until(() => collector.invocations({ 'cli.subcommand': 'exit' }) === 1), 'handed to the spool at exit');
});

test('CI set: inline by default; CI unset: background', async (t) => {
  const { collector, env, home } = await setup(t);
  const ci = await runNode(cli, ['return'], { env: { ...env, CI: 'true' } });
  assert.equal(ci.code, 0, ci.stderr);
  assert.equal(collector.invocations(), 1, 'inline: delivered by the time the command exited');
  assert.deepEqual(await sendersGone(home.root, 0), [], 'no sender started');
});

test('background: the command loads neither the OTel SDK nor anything of the sender; the sender loads nothing of the host', async (t) => {
  const { collector, env, home } = await setup(t);
  const modules = join(home.configDir, 'modules.log');
  const preloads = join(home.configDir, 'preloads.log');
  const preload = join(home.configDir, 'host-preload.mjs');
  writeFileSync(preload, `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(preloads)}, process.argv[1] + '\\n');\n`);
  const result = await runNode(fixture('telemetry-cli.js'), ['doc'], {
    nodeArgs: ['--import', fixture('record-modules.js')],
    env: { ...env, FIXTURE_MODULE_LOG: modules, NODE_OPTIONS: `--import ${pathToFileURL(preload).href}` },
  });
  assert.equal(result.code, 0, result.stderr);
  await arrived(collector, { 'cli.command': 'doc' });
  assert.doesNotMatch(readFileSync(modules, 'utf8'), /otlp-pipeline|@opentelemetry|sender/);
  assert.deepEqual(await sendersGone(home.root, 5_000), []);
  assert.deepEqual(readFileSync(preloads, 'utf8').trim().split('\n'), [fixture('telemetry-cli.js')], "the host's NODE_OPTIONS ran in the command only");
});

test('off: no spool, no sender, nothing written', async (t) => {
  const { collector, env, home } = await setup(t, { FIXTURE_TELEMETRY_DISABLED: '1' });
  for (const how of ['return', 'exit']) await runNode(cli, [how], { env });
  assert.equal(existsSync(home.root), false);
  assert.equal(collector.attempts, 0);
});

test('file sink: process.exit(3) without shutdown() still writes the line, synchronously, with no sender', async (t) => {
  const { env, home } = await setup(t);
  const file = join(home.configDir, 'events.jsonl');
  const result = await runNode(cli, ['exit'], { env: { ...env, FIXTURE_TELEMETRY_FILE: file } });
  assert.equal(result.code, 3);
  const [line, ...rest] = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text));
  assert.equal(rest.length, 0);
  assert.equal(line.exit_code, 3);
  assert.equal(line.subcommand, 'exit');
  assert.equal(existsSync(home.root), false);
});
