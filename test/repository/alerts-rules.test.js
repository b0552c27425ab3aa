// The alert rules' sources agree: the generated file is what alerts/render.mjs makes, docs/sls.md
// carries the same expressions, the buckets match the histogram, bad params are refused. What
// promtool says about the rules is test/tools/alerts-promtool.test.js's job (it needs promtool).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alertExpressions, DURATION_BUCKETS_SECONDS, loadParams, recordingRules, renderRules, validateParams } from '../../alerts/render.mjs';
import { RECORDED } from '../../alerts/promql.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RULES = join(ROOT, 'alerts', 'cmdtel.rules.yml');

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

test('the recording rules: one per cmdtel series, window = group interval, recorded `delay` late', () => {
  const params = { ...loadParams(), recording: { interval: '30s', delay: '90s' } };
  const rules = recordingRules(params);
  assert.deepEqual(
    rules.map((r) => r.record),
    Object.values(RECORDED),
  );
  for (const { expr } of rules) {
    assert.match(expr, /\[30s\] offset 90s\)/);
    assert.match(expr, /\[1h\] offset 2m\)/, 'baseline: the horizon, just before the window');
  }
  assert.match(renderRules(params), /- name: cmdtel-recording\n {4}interval: 30s\n/);
});

test('the bucket list in alerts/render.mjs matches the histogram in src/vocabulary/instruments.ts', () => {
  const source = readFileSync(join(ROOT, 'src', 'vocabulary', 'instruments.ts'), 'utf8');
  const match = /DURATION_BUCKETS_SECONDS\s*=\s*\[([^\]]*)\]/.exec(source);
  assert.ok(match, 'DURATION_BUCKETS_SECONDS not found in src/vocabulary/instruments.ts');
  assert.deepEqual(match[1].split(',').map(Number), DURATION_BUCKETS_SECONDS);
});

test('params are checked: a latency threshold between bucket edges is refused', () => {
  const params = loadParams();
  assert.throws(() => validateParams({ ...params, latency: { ...params.latency, thresholdSeconds: 2.5 } }), /bucket boundary/);
  assert.throws(() => validateParams({ ...params, errorRate: { ...params.errorRate, window: '10 minutes' } }), /errorRate\.window/);
  assert.throws(() => validateParams({ ...params, errorRate: { ...params.errorRate, window: '2h' } }), /stateHorizon/);
  assert.throws(() => validateParams({ ...params, recording: { ...params.recording, interval: '0s' } }), /recording\.interval/);
  assert.throws(() => validateParams({ ...params, recording: { ...params.recording, delay: 'soon' } }), /recording\.delay/);
  assert.throws(() => validateParams({ ...params, recording: undefined }), /recording is missing/);
});

test("the state horizon equals the gateways' default max_stale", () => {
  const horizon = loadParams().stateHorizon;
  // The gateways share their pipeline (gateway.yaml); the backend overlays must not override it.
  for (const overlay of ['gateway-prometheus.yaml', 'sls.yaml']) {
    assert.doesNotMatch(readFileSync(join(ROOT, 'collector-config', overlay), 'utf8'), /max_stale|^processors:/m, `${overlay} overrides the shared pipeline`);
  }
  for (const config of ['gateway.yaml']) {
    const text = readFileSync(join(ROOT, 'collector-config', config), 'utf8');
    const m = /max_stale:\s*\$\{env:CMDTEL_SERIES_MAX_STALE:-([^}]+)\}/.exec(text);
    assert.ok(m, `${config}: no max_stale default`);
    assert.equal(m[1], horizon, `${config}: max_stale default vs alerts/params.json stateHorizon`);
  }
});
