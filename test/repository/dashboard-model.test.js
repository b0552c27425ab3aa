// The Grafana dashboard's model: generated file up to date, import-ready, and
// every panel filtered, described and given a unit. What its queries return on
// real traffic is test/e2e/dashboards.test.js's job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadParams } from '../../alerts/render.mjs';
import { RECORDED } from '../../alerts/promql.mjs';
import { DASHBOARD_FILE, DASHBOARDS, RAW_DASHBOARD_FILE, renderDashboard } from '../../dashboards/render.mjs';

const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8'));
const raw = JSON.parse(readFileSync(RAW_DASHBOARD_FILE, 'utf8'));
const panels = dashboard.panels.filter((p) => p.type !== 'row');
const FILTER_VARIABLES = ['service', 'command', 'channel', 'version', 'os'];
const queries = (d) => d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

test('the committed dashboards are what dashboards/render.mjs makes', () => {
  for (const [file, counting] of Object.entries(DASHBOARDS)) {
    assert.equal(readFileSync(file, 'utf8'), renderDashboard(counting), `${file}: run node dashboards/render.mjs`);
  }
});

test('cmdtel.json reads only the recording rules; cmdtel-raw.json has the same panels with the formula inline', () => {
  const recordedNames = Object.values(RECORDED);
  for (const expr of queries(dashboard)) {
    assert.doesNotMatch(expr, /cli_command_\w+(total|bucket|sum|count)\b/, `reads a raw series: ${expr}`);
    assert.ok(
      recordedNames.some((name) => expr.includes(`${name}{`)),
      expr,
    );
    assert.doesNotMatch(expr, /last_over_time|offset/, expr);
  }
  for (const expr of queries(raw)) assert.doesNotMatch(expr, /cmdtel:/, expr);
  assert.deepEqual(
    raw.panels.map((p) => [p.title, p.type, p.gridPos]),
    dashboard.panels.map((p) => [p.title, p.type, p.gridPos]),
  );
  assert.notEqual(raw.uid, dashboard.uid);
  assert.equal(
    dashboard.templating.list.find((v) => v.name === 'horizon'),
    undefined,
    'the recorded dashboard needs no horizon',
  );
  assert.equal(raw.templating.list.find((v) => v.name === 'horizon').query, loadParams().stateHorizon);
  for (const p of panels) assert.equal(p.interval, loadParams().recording.interval, `${p.title}: $__interval floor = recording interval`);
});

test('every recorded-dashboard query is far shorter than the formula-inline ones', () => {
  const longest = (d) => Math.max(...queries(d).map((q) => q.length));
  const total = (d) => queries(d).reduce((sum, q) => sum + q.length, 0);
  assert.ok(longest(dashboard) * 2 < longest(raw), `longest ${longest(dashboard)} vs ${longest(raw)}`);
  assert.ok(longest(dashboard) <= 900, `longest recorded query ${longest(dashboard)} chars`);
  assert.ok(total(dashboard) * 2 < total(raw), `total ${total(dashboard)} vs ${total(raw)}`);
});

test('import-ready: a Prometheus data-source input and a data-source variable every panel uses', () => {
  assert.deepEqual(
    dashboard.__inputs.map((i) => [i.name, i.type, i.pluginId]),
    [['DS_PROMETHEUS', 'datasource', 'prometheus']],
  );
  const ds = dashboard.templating.list.find((v) => v.name === 'datasource');
  assert.equal(ds.type, 'datasource');
  assert.equal(ds.query, 'prometheus');
  assert.equal(ds.current.value, '${DS_PROMETHEUS}');
  assert.equal(dashboard.id, null);
  assert.ok(dashboard.uid);
  for (const p of panels) {
    assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${datasource}' }, p.title);
    for (const t of p.targets) assert.deepEqual(t.datasource, { type: 'prometheus', uid: '${datasource}' }, p.title);
  }
});

test('filters: service, command, channel, version and OS, multi-value with an All that also matches a missing label', () => {
  for (const name of FILTER_VARIABLES) {
    const v = dashboard.templating.list.find((x) => x.name === name);
    assert.ok(v, name);
    assert.equal(v.type, 'query');
    assert.equal(v.multi, true);
    assert.equal(v.includeAll, true);
    assert.equal(v.allValue, '.*');
    assert.match(v.query.query, /^label_values\(cli_command_invocations_total/);
  }
});

test('every panel has a title, a description and a unit, and every query applies every filter', () => {
  assert.ok(panels.length >= 12);
  assert.equal(new Set(panels.map((p) => p.title)).size, panels.length, 'panel titles are unique');
  for (const p of panels) {
    assert.ok(p.title, `panel ${p.id} has no title`);
    assert.ok(p.description && p.description.length > 20, `${p.title}: description`);
    assert.ok(p.fieldConfig?.defaults?.unit, `${p.title}: unit`);
    assert.ok(p.targets.length > 0, `${p.title}: queries`);
    for (const t of p.targets) {
      for (const name of FILTER_VARIABLES) assert.ok(t.expr.includes(`$${name}`), `${p.title} ${t.refId}: filter $${name}`);
      assert.doesNotMatch(t.expr, /\b(increase|rate|irate)\(/, `${p.title} ${t.refId}: uses the exact count, not increase()/rate()`);
    }
  }
});

test('table columns each carry their own unit', () => {
  for (const p of panels.filter((x) => x.type === 'table')) {
    const organize = p.transformations.find((t) => t.id === 'organize');
    const columns = Object.values(organize.options.renameByName);
    for (const column of columns) {
      const override = p.fieldConfig.overrides.find((o) => o.matcher.options === column);
      assert.ok(
        override?.properties.some((prop) => prop.id === 'unit'),
        `${p.title}: ${column}`,
      );
    }
    assert.equal(columns.length, p.targets.length, p.title);
    for (const t of p.targets) assert.equal(t.format, 'table', `${p.title} ${t.refId}`);
  }
});

test('panels fit the 24-column grid without overlapping', () => {
  const cells = new Set();
  for (const p of dashboard.panels) {
    const { x, y, w, h } = p.gridPos;
    assert.ok(x >= 0 && w > 0 && x + w <= 24, `${p.title}: x ${x} w ${w}`);
    for (let i = x; i < x + w; i += 1) {
      for (let j = y; j < y + h; j += 1) {
        const cell = `${i},${j}`;
        assert.ok(!cells.has(cell), `${p.title} overlaps at ${cell}`);
        cells.add(cell);
      }
    }
  }
});
