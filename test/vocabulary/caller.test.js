// Who runs the command: the detection table for AI agents and CI vendors,
// through the public API (file sink, environment passed in). Whether stdin or
// stdout is a terminal decides only between a person and a script; those
// cases run as real processes in test/vocabulary/caller.process.test.js.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTelemetry } from 'cmdtel';
import { tempDir } from '../helpers/paths.js';

const require = createRequire(import.meta.url);
const VENDORS = require('ci-info/vendors.json');

/** The caller cmdtel records for one run with this environment. */
function callerFor(t, env, options = {}) {
  const dir = tempDir(t);
  const file = join(dir, 'events.jsonl');
  const telemetry = createTelemetry({ name: 'dws', configDir: dir, projectDir: dir, env: { DWS_TELEMETRY_FILE: file, ...env }, ...options });
  telemetry.start({ command: 'doc' }).end();
  const event = JSON.parse(readFileSync(file, 'utf8'));
  return event.caller_type === 'agent' || event.caller_type === 'ci'
    ? [event.caller_type, event.caller_name]
    : [event.caller_type === undefined ? 'none' : 'terminal-decides', event.caller_name];
}

const agentRows = [
  // [env, expected name]
  [{ AI_AGENT: 'claude-code_2.0.31_agent' }, 'claude-code'],
  [{ AI_AGENT: 'claude-code_1.0.128_agent' }, 'claude-code'],
  [{ AI_AGENT: 'Claude-Code_3.0.0-beta.1_agent' }, 'claude-code'],
  [{ AI_AGENT: 'cursor-cli@1' }, 'cursor'],
  [{ AI_AGENT: 'gemini-cli' }, 'gemini-cli'],
  [{ AI_AGENT: 'codex/0.9.1' }, 'codex'],
  [{ AI_AGENT: 'copilot' }, 'github-copilot'],
  [{ AI_AGENT: 'goose 1.2' }, 'goose'],
  [{ AI_AGENT: 'devin@1' }, 'other'],
  [{ AI_AGENT: 'my agent; rm -rf /' }, 'other'],
  [{ AI_AGENT: 'x'.repeat(300) }, 'other'],
  [{ AI_AGENT: 'ünïcödé' }, 'other'],
  [{ AI_AGENT: '1' }, 'other'],
  [{ CLAUDECODE: '1' }, 'claude-code'],
  [{ CLAUDE_CODE: '1' }, 'claude-code'],
  [{ CURSOR_AGENT: '1' }, 'cursor'],
  [{ GEMINI_CLI: '1' }, 'gemini-cli'],
  [{ CODEX_SANDBOX: 'seatbelt' }, 'codex'],
  [{ CODEX_THREAD_ID: '0199a3b2-5c4d-7e8f-9a0b-1c2d3e4f5a6b' }, 'codex'],
  [{ OPENCODE: '1' }, 'opencode'],
  [{ COPILOT_CLI: '1' }, 'github-copilot'],
  [{ COPILOT_AGENT: '1' }, 'github-copilot'],
  [{ COPILOT_AGENT_SESSION_ID: '5aacf7d0-b61e-47b6-b894-134d2c251297' }, 'github-copilot'],
  [{ GOOSE_TERMINAL: '1' }, 'goose'],
  [{ AGENT: 'goose' }, 'goose'],
  [{ AGENT: 'amp' }, 'amp'],
  [{ AGENT: '1' }, 'other'],
  [{ AGENT: 'something-new' }, 'other'],
  // AI_AGENT names the agent, and is asked first.
  [{ AI_AGENT: 'codex', CLAUDECODE: '1' }, 'codex'],
  [{ OPENCODE: '1', AGENT: '1' }, 'opencode'],
];

for (const [env, name] of agentRows) {
  test(`agent: ${JSON.stringify(env).slice(0, 80)} → ${name}`, (t) => {
    assert.deepEqual(callerFor(t, env), ['agent', name]);
  });
}

test('markers switched off, blank, or look-alikes are not agents', (t) => {
  for (const env of [
    { CLAUDECODE: '0' },
    { AI_AGENT: 'false' },
    { AGENT: 'off' },
    { GEMINI_CLI: '' },
    { CURSOR_AGENT: '  ' },
    { COPILOT_GITHUB_TOKEN: 'x' },
    { CURSOR_TRACE_ID: 'abc' },
    { CLAUDE_CODE_USE_BEDROCK: '1' },
  ]) {
    assert.deepEqual(callerFor(t, env), ['terminal-decides', undefined], JSON.stringify(env));
  }
});

test('an agent inside CI is recorded as the agent', (t) => {
  assert.deepEqual(callerFor(t, { COPILOT_AGENT_SESSION_ID: 'abc', GITHUB_ACTIONS: 'true', CI: 'true' }), ['agent', 'github-copilot']);
  assert.deepEqual(callerFor(t, { AI_AGENT: 'claude-code_2.0.31_agent', GITLAB_CI: 'true', CI: 'true' }), ['agent', 'claude-code']);
});

test('recordCaller: false leaves the dimension out, whatever is set', (t) => {
  assert.deepEqual(callerFor(t, { CLAUDECODE: '1', GITHUB_ACTIONS: 'true' }, { recordCaller: false }), ['none', undefined]);
});

/** An environment that satisfies every condition of one ci-info vendor entry. */
function vendorEnv(vendor) {
  const env = {};
  for (const condition of [vendor.env].flat()) {
    if (typeof condition === 'string') env[condition] = 'true';
    else if ('env' in condition) env[condition.env] = `x${condition.includes}x`;
    else if ('any' in condition) env[condition.any[0]] = 'true';
    else Object.assign(env, condition);
  }
  return env;
}

/** What ci-info's own module says for an environment (it reads process.env when loaded). */
function ciInfoSays(env) {
  const path = require.resolve('ci-info');
  const saved = process.env;
  process.env = { ...env };
  try {
    delete require.cache[path];
    const ci = require('ci-info');
    return { isCI: ci.isCI, id: ci.id };
  } finally {
    process.env = saved;
    delete require.cache[path];
  }
}

const token = (constant) => constant.toLowerCase().replaceAll('_', '-');

test(`CI: all ${VENDORS.length} ci-info vendors are told apart exactly as ci-info tells them`, (t) => {
  assert.ok(VENDORS.length >= 50, 'the vendor table is the full one');
  const seen = new Set();
  for (const vendor of VENDORS) {
    const env = vendorEnv(vendor);
    const expected = ciInfoSays(env);
    assert.equal(expected.isCI, true, `${vendor.constant}: ci-info itself detects the constructed environment`);
    const name = callerFor(t, env);
    assert.deepEqual(name, ['ci', token(expected.id)], vendor.constant);
    assert.match(name[1], /^[a-z0-9][a-z0-9-]{0,31}$/);
    seen.add(name[1]);
  }
  // Each vendor is distinguishable from the others by its own variables (a few share some, as in ci-info).
  assert.ok(seen.size >= VENDORS.length - 3, `${seen.size} distinct vendor names`);
});

test('CI: the generic variables mean CI without a vendor → other; CI=false means not CI', (t) => {
  for (const name of ['CI', 'CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'BUILD_ID', 'RUN_ID', 'CI_NAME', 'CI_APP_ID', 'CI_BUILD_ID', 'CI_BUILD_NUMBER']) {
    const env = { [name]: name === 'CI_NAME' ? 'something-new' : '1' };
    assert.deepEqual(ciInfoSays(env), { isCI: true, id: null }, `${name}: ci-info agrees there is no vendor`);
    assert.deepEqual(callerFor(t, env), ['ci', 'other'], name);
  }
  assert.deepEqual(ciInfoSays({ CI: 'false', GITHUB_ACTIONS: 'true' }).isCI, false);
  assert.deepEqual(callerFor(t, { CI: 'false', GITHUB_ACTIONS: 'true' }), ['terminal-decides', undefined]);
  assert.deepEqual(callerFor(t, {}), ['terminal-decides', undefined]);
});

test('CI: well-known vendors get their expected names', (t) => {
  const expected = {
    'github-actions': { GITHUB_ACTIONS: 'true', CI: 'true' },
    gitlab: { GITLAB_CI: 'true', CI: 'true' },
    'azure-pipelines': { TF_BUILD: 'True' },
    jenkins: { JENKINS_URL: 'http://jenkins', BUILD_ID: '12' },
    circle: { CIRCLECI: 'true', CI: 'true' },
    buildkite: { BUILDKITE: 'true', CI: 'true' },
    codebuild: { CODEBUILD_BUILD_ARN: 'arn:aws:codebuild:x' },
    woodpecker: { CI: 'woodpecker' },
  };
  for (const [name, env] of Object.entries(expected)) assert.deepEqual(callerFor(t, env), ['ci', name], name);
});

test('docs/attributes.md lists exactly the CI names ci-info gives (and `other`)', () => {
  const doc = readFileSync(new URL('../../docs/attributes.md', import.meta.url), 'utf8');
  const block = /<!-- ci-vendors -->([\s\S]*?)<!-- \/ci-vendors -->/.exec(doc)?.[1] ?? '';
  const listed = [...block.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]);
  assert.deepEqual(listed, [...VENDORS.map((vendor) => token(vendor.constant)), 'other']);
  assert.match(doc, new RegExp(`The ${listed.length} values with ci-info ${require('ci-info/package.json').version}:`));
});
