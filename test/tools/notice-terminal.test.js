// The one-time disclosure for a distribution's baked-in default: shown where a
// person reads it (stderr on a real pseudo-terminal, not CI, not an agent),
// once; the marker is written only when it was shown. In the tools suite: a pseudo-terminal needs
// util-linux `script`, which `npm test` (Node and npm only) may not have.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { startOtlpListener } from '../helpers/otlp-listener.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';
import { fixture, tempDir } from '../helpers/paths.js';
import { hasScript, runInTerminal } from '../helpers/terminal.js';

const cli = fixture('telemetry-cli.js');
const NOTICE = /fixture sends anonymous usage telemetry .*\n.*FIXTURE_TELEMETRY_DISABLED=1 \(or DO_NOT_TRACK=1\)/;
const MARKER = '.telemetry_notice_shown';

before(() => assert.ok(hasScript(), 'these tests need `script` (util-linux) for a pseudo-terminal'));

function bakedEnv(listener, configDir, extra = {}) {
  return cleanEnv({ FIXTURE_BAKED_URL: listener.url, FIXTURE_CONFIG_DIR: configDir, FIXTURE_TELEMETRY_DELIVERY: 'inline', ...extra });
}

/** On a terminal: stdin, stdout and stderr a pseudo-terminal. */
const onTerminal = (listener, configDir, extra) => runInTerminal(cli, ['doc', '--exit', '0'], { env: bakedEnv(listener, configDir, extra) });

async function listen(t) {
  const listener = await startOtlpListener();
  t.after(() => listener.close());
  return listener;
}

test('on a terminal: shown once across two processes, then never again', async (t) => {
  const listener = await listen(t);
  const configDir = join(tempDir(t), 'config');
  const first = await onTerminal(listener, configDir);
  const second = await onTerminal(listener, configDir);
  assert.equal(first.code, 0);
  assert.match(first.output, NOTICE);
  assert.doesNotMatch(first.output, /telemetry disable/, 'no user controls wired: not named');
  assert.equal(second.output, '');
  assert.ok(existsSync(join(configDir, MARKER)));
  assert.equal(listener.requests.length, 2, 'both runs reported');
});

test('stderr a pipe: not shown and not marked, so the first terminal run still shows it', async (t) => {
  const listener = await listen(t);
  const configDir = join(tempDir(t), 'config');
  const piped = await runNode(cli, ['doc', '--exit', '0'], { env: bakedEnv(listener, configDir) });
  assert.equal(piped.code, 0);
  assert.equal(piped.stderr, '');
  assert.ok(!existsSync(join(configDir, MARKER)), 'no marker for a notice nobody saw');
  // stderr redirected to a file from a terminal session: still nobody reading it.
  const toFile = await runInTerminal(cli, ['doc'], { env: bakedEnv(listener, configDir), redirect: ` 2>${join(configDir, '..', 'stderr.txt')}` });
  assert.equal(toFile.output, '');
  assert.ok(!existsSync(join(configDir, MARKER)));
  const terminal = await onTerminal(listener, configDir);
  assert.match(terminal.output, NOTICE);
  assert.ok(existsSync(join(configDir, MARKER)));
  assert.equal(listener.requests.length, 3, 'every run reported, shown or not');
});

for (const [name, extra] of [
  ['CI (GitHub Actions, which gives no terminal, here with one)', { GITHUB_ACTIONS: 'true' }],
  ['CI (only CI=true)', { CI: 'true' }],
  ['an AI agent (Claude Code)', { CLAUDECODE: '1' }],
]) {
  test(`on a terminal but in ${name}: not shown, not marked`, async (t) => {
    const listener = await listen(t);
    const configDir = join(tempDir(t), 'config');
    const run = await onTerminal(listener, configDir, extra);
    assert.equal(run.code, 0);
    assert.equal(run.output, '');
    assert.ok(!existsSync(join(configDir, MARKER)));
    assert.equal(listener.requests.length, 1);
  });
}

test('CI=false is not CI: shown', async (t) => {
  const listener = await listen(t);
  const run = await onTerminal(listener, join(tempDir(t), 'config'), { CI: 'false' });
  assert.match(run.output, NOTICE);
});

test('names `<cli> telemetry disable` when the CLI wires the user controls', async (t) => {
  const listener = await listen(t);
  const run = await onTerminal(listener, join(tempDir(t), 'config'), { FIXTURE_USER_CONTROLS: '1' });
  assert.match(run.output, /To turn it off: fixture telemetry disable, or export FIXTURE_TELEMETRY_DISABLED=1 \(or DO_NOT_TRACK=1\)/);
});

test('not shown on a terminal when the user opted in or out explicitly, nor for a file sink', async (t) => {
  const listener = await listen(t);
  const optedIn = await onTerminal(listener, join(tempDir(t), 'a'), { FIXTURE_TELEMETRY_ENABLED: '1' });
  const optedOut = await onTerminal(listener, join(tempDir(t), 'b'), { DO_NOT_TRACK: '1' });
  const file = await runInTerminal(cli, ['doc'], {
    env: cleanEnv({ FIXTURE_CONFIG_DIR: join(tempDir(t), 'c'), FIXTURE_TELEMETRY_FILE: join(tempDir(t), 'e.jsonl') }),
  });
  assert.equal(optedIn.output, '');
  assert.equal(optedOut.output, '');
  assert.equal(file.output, '');
  assert.equal(listener.requests.length, 1, 'the opted-in run');
});

test('an unwritable config dir costs nothing and crashes nothing', async (t) => {
  // Tests may run as root, for whom permission bits do not block writes; a
  // path below a regular file (ENOTDIR) fails for everyone.
  const listener = await listen(t);
  const blocker = join(tempDir(t), 'not-a-dir');
  writeFileSync(blocker, '');
  const configDir = join(blocker, 'config');
  const first = await onTerminal(listener, configDir);
  const second = await onTerminal(listener, configDir);
  assert.equal(first.code, 0);
  assert.equal(second.code, 0);
  assert.match(first.output, NOTICE);
  assert.match(second.output, NOTICE, 'without a marker the notice shows again rather than never');
  assert.equal(listener.requests.length, 2);
});
