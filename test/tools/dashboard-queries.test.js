// Every Grafana dashboard query parses in Prometheus (checked with promtool, which must be
// installed first: scripts/ensure-prometheus.sh; .ci/run does it). The model's shape is
// test/repository/dashboard-model.test.js's job, what the queries return on real traffic test/e2e's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARDS } from '../../dashboards/render.mjs';
import { promtool } from '../helpers/promtool.js';

for (const file of Object.keys(DASHBOARDS)) {
  const dashboard = JSON.parse(readFileSync(file, 'utf8'));
  const panels = dashboard.panels.filter((p) => p.type !== 'row');

  test(`${file.split(/[\\/]/).pop()}: every query, with its variables substituted as Grafana does, parses in this Prometheus`, async (t) => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { interpolate } = await import('../e2e/grafana/template.js');
    const variables = Object.fromEntries(
      dashboard.templating.list.map((v) => [v.name, v.type === 'constant' ? { value: v.query } : { ...v, value: ['a', 'b.c'] }]),
    );
    const rules = [];
    for (const p of panels) {
      for (const target of p.targets) {
        const expr = interpolate(target.expr, { fromMs: 0, toMs: 6 * 3600_000, intervalMs: 60_000, variables });
        assert.doesNotMatch(expr, /\$\w/, `${p.title} ${target.refId}`);
        rules.push({ record: `panel_${p.id}_${target.refId}`, expr });
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'cmdtel-dash-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'queries.yml');
    writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboard', rules }] }));
    const { status, output } = promtool(['check', 'rules', file]);
    assert.equal(status, 0, output);
  });
}
