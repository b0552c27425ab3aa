// Who runs the command, as real processes see it: the markers in a child's real environment, and
// no terminal at all. The pseudo-terminal cases need util-linux `script`: test/tools/caller-terminal.test.js.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, runNode } from '../helpers/run-node.js';
import { fixture, tempDir } from '../helpers/paths.js';

const cli = fixture('telemetry-cli.js');

function fileEnv(t, extra = {}) {
  const dir = tempDir(t);
  const file = join(dir, 'events.jsonl');
  return { file, env: cleanEnv({ FIXTURE_TELEMETRY_FILE: file, FIXTURE_CONFIG_DIR: join(dir, 'config'), ...extra }) };
}

const callerOf = (file) => {
  const event = JSON.parse(readFileSync(file, 'utf8'));
  return [event.caller_type, event.caller_name];
};

test('no terminal at all (stdin /dev/null, pipes): script', async (t) => {
  const { file, env } = fileEnv(t);
  assert.equal((await runNode(cli, ['doc'], { env })).code, 0);
  assert.deepEqual(callerOf(file), ['script', undefined]);
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

test('a hand-edited spool cannot smuggle a caller value: anything outside the closed set is left out', async (t) => {
  const { readdirSync, appendFileSync } = await import('node:fs');
  const { deliveryScene } = await import('../helpers/delivery-scene.js');
  const { sendersGone } = await import('../helpers/spool.js');
  const { collector, home, env } = await deliveryScene(t, {
    up: false,
    tuning: 'idleMs=300,pollMs=50,gatherMs=20,backoffMinMs=100,backoffMaxMs=200,sendTimeoutMs=500',
  });
  const delivery = fixture('delivery-cli.js');
  assert.equal((await runNode(delivery, ['return', 'real'], { env: { ...env, CLAUDECODE: '1' } })).code, 0);
  const [destination] = readdirSync(home.root).filter((entry) => /^[0-9a-f]{16}$/.test(entry));
  const line = (id, command, caller) =>
    `${JSON.stringify({ id, ev: { schema_version: '1', ts: new Date().toISOString(), trace_id: 'ab'.repeat(16), cli_version: '2.0.1', os: 'linux', ...caller, command, subcommand: '', outcome: 'ok', exit_code: 0, duration_ms: 5 } })}\n`;
  appendFileSync(
    join(home.root, destination, 'events.jsonl'),
    line('0123456789abcdef', 'edited', { caller_type: 'robot', caller_name: 'SENTINEL-caller_1.2.3' }) +
      line('fedcba9876543210', 'known', { caller_type: 'ci', caller_name: 'gitlab' }),
  );
  collector.up = true;
  assert.ok(await collector.until(() => collector.invocations() >= 3), `${collector.invocations()} delivered`);
  assert.deepEqual(await sendersGone(home.root, 5_000), []);
  assert.equal(collector.invocations({ 'cli.command': 'real', 'cli.caller.type': 'agent', 'cli.caller.name': 'claude-code' }), 1);
  assert.equal(collector.invocations({ 'cli.command': 'known', 'cli.caller.type': 'ci', 'cli.caller.name': 'gitlab' }), 1);
  assert.equal(collector.invocations({ 'cli.command': 'edited' }), 1, 'the run itself still counts');
  assert.equal(collector.invocations({ 'cli.command': 'edited', 'cli.caller.type': undefined, 'cli.caller.name': undefined }), 1, 'without the edited values');
  assert.ok(!collector.accepted.some((request) => JSON.stringify(request).includes('SENTINEL')), 'the edited text was never sent');
});
