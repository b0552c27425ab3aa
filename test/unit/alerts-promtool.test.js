// The alert rules: generated file up to date, accepted by promtool, and their
// promtool unit tests (alerts/cmdtel.rules.test.yml) pass. promtool comes from
// Debian's prometheus package; a fresh CI machine gets it installed here, never
// a skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alertExpressions, DURATION_BUCKETS_SECONDS, loadParams, renderRules, validateParams } from '../../alerts/render.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RULES = join(ROOT, 'alerts', 'cmdtel.rules.yml');
const RULE_TESTS = join(ROOT, 'alerts', 'cmdtel.rules.test.yml');

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

/** promtool ships with Debian's prometheus package: scripts/ensure-prometheus.sh installs it when missing. */
function ensurePromtool() {
  if (onPath('promtool')) return;
  execFileSync('bash', [join(ROOT, 'scripts', 'ensure-prometheus.sh')], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 1_200_000 });
  assert.ok(onPath('promtool'), 'promtool is still missing after scripts/ensure-prometheus.sh');
}

function promtool(args) {
  const run = spawnSync('promtool', args, { encoding: 'utf8', cwd: ROOT, timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

test('the committed rule file is what alerts/render.mjs makes from alerts/params.json', () => {
  assert.equal(readFileSync(RULES, 'utf8'), renderRules(loadParams()), 'run: node alerts/render.mjs');
});

test('docs/sls.md carries the same four alert expressions as the rule file', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'sls.md'), 'utf8');
  const expressions = alertExpressions(loadParams());
  for (const [name, expr] of Object.entries(expressions)) {
    const block = new RegExp(`<!-- alert:${name} -->\\n\`\`\`promql\\n([\\s\\S]*?)\\n\`\`\``).exec(doc);
    assert.ok(block, `docs/sls.md has no block for ${name}`);
    assert.equal(block[1], expr, `docs/sls.md: ${name} differs from alerts/cmdtel.rules.yml`);
  }
});

test('the bucket list in alerts/render.mjs matches the histogram in src/instruments.ts', () => {
  const source = readFileSync(join(ROOT, 'src', 'instruments.ts'), 'utf8');
  const match = /DURATION_BUCKETS_SECONDS\s*=\s*\[([^\]]*)\]/.exec(source);
  assert.ok(match, 'DURATION_BUCKETS_SECONDS not found in src/instruments.ts');
  assert.deepEqual(match[1].split(',').map(Number), DURATION_BUCKETS_SECONDS);
});

test('params are checked: a latency threshold between bucket edges is refused', () => {
  const params = loadParams();
  assert.throws(() => validateParams({ ...params, latency: { ...params.latency, thresholdSeconds: 2.5 } }), /bucket boundary/);
  assert.throws(() => validateParams({ ...params, errorRate: { ...params.errorRate, window: '10 minutes' } }), /errorRate\.window/);
  assert.throws(() => validateParams({ ...params, errorRate: { ...params.errorRate, window: '2h' } }), /stateHorizon/);
});

test('promtool check rules accepts the rule file', () => {
  ensurePromtool();
  const { status, output } = promtool(['check', 'rules', RULES]);
  assert.equal(status, 0, output);
  assert.match(output, /SUCCESS: 4 rules found/);
});

test('promtool test rules: every alert fires exactly where the unit tests say', () => {
  ensurePromtool();
  const { status, output } = promtool(['test', 'rules', RULE_TESTS]);
  assert.equal(status, 0, output);
  assert.match(output, /SUCCESS/);
});

test('a rule file rendered from other params is valid too', async (t) => {
  ensurePromtool();
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'cmdtel-rules-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const params = loadParams();
  const custom = {
    ...params,
    stateHorizon: '6h',
    errorRate: { ...params.errorRate, threshold: 0.02, window: '30m' },
    latency: { ...params.latency, quantile: 0.95, thresholdSeconds: 2 },
    commandFailing: { ...params.commandFailing, excludeCommands: '' },
    noInvocations: { ...params.noInvocations, window: '15m', baselineWindow: '6h' },
  };
  const file = join(dir, 'custom.rules.yml');
  writeFileSync(file, renderRules(custom));
  const { status, output } = promtool(['check', 'rules', file]);
  assert.equal(status, 0, output);
});

test('every PromQL block in docs/sls.md parses', async (t) => {
  ensurePromtool();
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const doc = readFileSync(join(ROOT, 'docs', 'sls.md'), 'utf8');
  const blocks = [...doc.matchAll(/```promql\n([\s\S]*?)\n```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 9, `${blocks.length} blocks`);
  const dir = mkdtempSync(join(tmpdir(), 'cmdtel-sls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'sls.yml');
  writeFileSync(file, JSON.stringify({ groups: [{ name: 'sls', rules: blocks.map((expr, i) => ({ record: `sls_block_${i}`, expr })) }] }));
  const { status, output } = promtool(['check', 'rules', file]);
  assert.equal(status, 0, output);
});

test('the state horizon equals the gateways\' default max_stale', () => {
  const horizon = loadParams().stateHorizon;
  for (const config of ['gateway-prometheus.yaml', 'sls.yaml']) {
    const text = readFileSync(join(ROOT, 'collector-config', config), 'utf8');
    const m = /max_stale:\s*\$\{env:CMDTEL_SERIES_MAX_STALE:-([^}]+)\}/.exec(text);
    assert.ok(m, `${config}: no max_stale default`);
    assert.equal(m[1], horizon, `${config}: max_stale default vs alerts/params.json stateHorizon`);
  }
});
