// Who runs the command, as real processes see it: the markers in a child's
// real environment, and stdin/stdout on a real pseudo-terminal, a pipe or /dev/null.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { cleanEnv, runNode } from '../helpers/run-node.js';
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

test('no terminal at all (stdin /dev/null, pipes): script', async (t) => {
  const { file, env } = fileEnv(t);
  assert.equal((await runNode(cli, ['doc'], { env })).code, 0);
  assert.deepEqual(callerOf(file), ['script', undefined]);
});

test('CI wins over a terminal (runners such as Buildkite give jobs one)', async (t) => {
  const { file, env } = fileEnv(t, { BUILDKITE: 'true', CI: 'true' });
  const run = await runInTerminal(cli, ['doc'], { env });
  assert.equal(run.code, 0, run.output);
  assert.deepEqual(callerOf(file), ['ci', 'buildkite']);
});

const markerCases = [
  [{ AI_AGENT: 'claude-code_2.0.31_agent', CLAUDECODE: '1', CLAUDE_CODE_ENTRYPOINT: 'cli' }, ['agent', 'claude-code']],
  [{ GEMINI_CLI: '1' }, ['agent', 'gemini-cli']],
  [{ CODEX_SANDBOX: 'seatbelt', CODEX_SANDBOX_NETWORK_DISABLED: '1' }, ['agent', 'codex']],
  [{ COPILOT_AGENT_SESSION_ID: 'abc', GITHUB_ACTIONS: 'true', CI: 'true' }, ['agent', 'github-copilot']],
  [{ GITHUB_ACTIONS: 'true', CI: 'true' }, ['ci', 'github-actions']],
  [{ GITLAB_CI: 'true', CI: 'true' }, ['ci', 'gitlab']],
  [{ CI: '1' }, ['ci', 'other']],
];

for (const [extra, expected] of markerCases) {
  test(`a real process with ${Object.keys(extra).join(', ')}: ${expected.join(' / ')}`, async (t) => {
    const { file, env } = fileEnv(t, extra);
    assert.equal((await runNode(cli, ['doc', '--exit', '2'], { env })).code, 2);
    assert.deepEqual(callerOf(file), expected);
  });
}

test('the debug output shows the caller as it is recorded', async (t) => {
  const { env } = fileEnv(t, { OPENCODE: '1', FIXTURE_TELEMETRY_DEBUG: '1' });
  const run = await runNode(cli, ['doc'], { env });
  assert.match(run.stderr, /cmdtel debug: event .*"caller_type":"agent","caller_name":"opencode"/);
});

test('a CLI that turns the dimension off records neither key', async (t) => {
  const { file, env } = fileEnv(t, { CLAUDECODE: '1', FIXTURE_RECORD_CALLER: '0' });
  assert.equal((await runNode(cli, ['doc'], { env })).code, 0);
  const event = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(!('caller_type' in event) && !('caller_name' in event), JSON.stringify(event));
});
