// Who runs it, on a real pseudo-terminal: a person at a terminal vs a script, and CI over a terminal.
// In the tools suite (`npm run test:tools`, run by .ci/run) because a pseudo-terminal needs util-linux
// `script`, which a machine with nothing but Node and npm lacks; the rest of the caller tests are in
// test/vocabulary/caller.process.test.js.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { cleanEnv } from '../helpers/run-node.js';
import { fixture, tempDir } from '../helpers/paths.js';
import { hasScript, runInTerminal } from '../helpers/terminal.js';

const cli = fixture('telemetry-cli.js');

before(() => assert.ok(hasScript(), 'these tests need `script` (util-linux) for a pseudo-terminal'));

function fileEnv(t, extra = {}) {
  const dir = tempDir(t);
  const file = join(dir, 'events.jsonl');
  return { file, env: cleanEnv({ FIXTURE_TELEMETRY_FILE: file, FIXTURE_CONFIG_DIR: join(dir, 'config'), ...extra }) };
}

const callerOf = (file) => {
  const event = JSON.parse(readFileSync(file, 'utf8'));
  return [event.caller_type, event.caller_name];
};

const terminalCases = [
  // [description, redirect of `node cli.js doc` inside the terminal session, expected caller type]
  ['stdin, stdout and stderr on a terminal', '', 'person'],
  ['stdout piped, stdin a terminal (mycli ls | less)', ' | cat', 'person'],
  ['stdin from /dev/null, stdout a terminal', ' </dev/null', 'person'],
  ['stdin from /dev/null, stdout piped (a script inside a terminal session)', ' </dev/null | cat', 'script'],
];

for (const [description, redirect, type] of terminalCases) {
  test(`${description}: ${type}`, async (t) => {
    const { file, env } = fileEnv(t);
    const run = await runInTerminal(cli, ['doc'], { env, redirect });
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(callerOf(file), [type, undefined]);
  });
}

test('CI wins over a terminal (runners such as Buildkite give jobs one)', async (t) => {
  const { file, env } = fileEnv(t, { BUILDKITE: 'true', CI: 'true' });
  const run = await runInTerminal(cli, ['doc'], { env });
  assert.equal(run.code, 0, run.output);
  assert.deepEqual(callerOf(file), ['ci', 'buildkite']);
});
