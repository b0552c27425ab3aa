// Every PromQL query cmdtel-sls generates (the SLS dashboard's chart queries and the four alert
// queries, from alerts/params.json and from other params) parses in Prometheus' own parser
// (promtool). promtool must be installed first (scripts/ensure-prometheus.sh; .ci/run does it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadParams } from '../../alerts/render.mjs';
import { alertBodies, dashboardBody } from '../../sls/definitions.mjs';
import { promtool } from '../helpers/promtool.js';

const TARGET = { project: 'p', metricstore: 'm', region: 'cn-hangzhou' };

function queriesOf(params) {
  const dashboard = dashboardBody(params, TARGET).charts.flatMap((c) => c.search.chartQueries.map((q) => q.query));
  const alerts = alertBodies(params, TARGET).map((a) => a.configuration.queryList[0].query);
  return { dashboard, alerts };
}

for (const [label, params] of [
  ['default params', loadParams()],
  ['other params', { ...loadParams(), stateHorizon: '6h', errorRate: { ...loadParams().errorRate, threshold: 0.01, window: '30m' } }],
]) {
  test(`every generated SLS query parses (${label}): 13 chart queries, 4 alert queries`, (t) => {
    const { dashboard, alerts } = queriesOf(params);
    assert.equal(dashboard.length, 13);
    assert.equal(alerts.length, 4);
    const dir = mkdtempSync(join(tmpdir(), 'cmdtel-sls-q-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'sls.yml');
    const rules = [...dashboard, ...alerts].map((expr, i) => ({ record: `sls_query_${i}`, expr }));
    writeFileSync(file, JSON.stringify({ groups: [{ name: 'sls', rules }] }));
    const { status, output } = promtool(['check', 'rules', file]);
    assert.equal(status, 0, output);
    assert.match(output, /SUCCESS: 17 rules found/);
  });
}
