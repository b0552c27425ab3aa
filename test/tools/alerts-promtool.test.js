// The alert rules as promtool sees them: the rule file is accepted, its promtool unit tests
// (alerts/cmdtel.rules.test.yml) pass, a file rendered from other params and every PromQL block in
// docs/sls.md parse. promtool must be installed first (scripts/ensure-prometheus.sh; .ci/run does it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadParams, renderRules } from '../../alerts/render.mjs';
import { RECORDED } from '../../alerts/promql.mjs';
import { promtool as runPromtool } from '../helpers/promtool.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RULES = join(ROOT, 'alerts', 'cmdtel.rules.yml');
const RULE_TESTS = join(ROOT, 'alerts', 'cmdtel.rules.test.yml');
const promtool = (args) => runPromtool(args, ROOT);

test('promtool check rules accepts the rule file: 4 recording rules and 4 alerts', () => {
  const { status, output } = promtool(['check', 'rules', RULES]);
  assert.equal(status, 0, output);
  assert.match(output, /SUCCESS: 8 rules found/);
});

test('promtool test rules: every alert fires exactly where the unit tests say, the recorded increases add up exactly', () => {
  const { status, output } = promtool(['test', 'rules', RULE_TESTS]);
  assert.equal(status, 0, output);
  assert.match(output, /SUCCESS/);
  // The recording rules are under test in that file, not just loaded.
  const tests = readFileSync(RULE_TESTS, 'utf8');
  for (const name of Object.values(RECORDED)) assert.ok(tests.includes(`${name}`), `${name} has no promtool test`);
});

test('a rule file rendered from other params is valid too', async (t) => {
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
    recording: { interval: '30s', delay: '5m' },
  };
  const file = join(dir, 'custom.rules.yml');
  writeFileSync(file, renderRules(custom));
  const { status, output } = promtool(['check', 'rules', file]);
  assert.equal(status, 0, output);
});

test('every PromQL block in docs/sls.md parses', async (t) => {
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
