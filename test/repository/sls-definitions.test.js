// The SLS definitions (sls/definitions.mjs) and the Terraform module (sls/terraform/): generated
// from alerts/params.json, the same alert expressions as the Prometheus rules, the committed module
// up to date, and the SDK kept out of everything a CLI loads. What promtool says about the queries
// is test/tools/sls-queries.test.js's job; terraform's own checks are test/terraform's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { alertExpressions, alertMeta, loadParams } from '../../alerts/render.mjs';
import { ALERT_NAMES, alertBodies, dashboardBody, dashboardCharts, regionOfEndpoint, slsTemplate } from '../../sls/definitions.mjs';
import { MODULE_DIR, renderModule } from '../../sls/terraform.mjs';
import { parseArgs, UsageError } from '../../sls/apply.mjs';
import { repoRoot } from '../helpers/paths.js';

const PARAMS = loadParams();
const TARGET = { project: 'p', metricstore: 'm', region: 'cn-hangzhou' };

test('the dashboard: 11 charts, 13 metricstore queries, the exact count without subqueries', () => {
  const body = dashboardBody(PARAMS, TARGET);
  assert.equal(body.charts.length, 11);
  const queries = body.charts.flatMap((c) => c.search.chartQueries);
  assert.equal(queries.length, 13);
  for (const q of queries) {
    assert.equal(q.datasource, 'metricstore');
    assert.equal(q.logstore, 'm');
    assert.match(q.query, /last_over_time\(cli_command_\w+(\{[^}]*\})?\[(1m|1h)\]\) - last_over_time\(cli_command_\w+(\{[^}]*\})?\[1h\] offset (1m|1h)\) >= 0/);
    assert.doesNotMatch(q.query, /\[[^\]]*:[^\]]*\]|\$__|\$\w/, 'no subquery, no Grafana variable');
  }
  const cells = new Set();
  for (const c of body.charts) {
    const { xPos, yPos, width, height } = c.display;
    assert.ok(xPos + width <= 24, c.title);
    for (let x = xPos; x < xPos + width; x += 1)
      for (let y = yPos; y < yPos + height; y += 1) {
        assert.ok(!cells.has(`${x},${y}`), `${c.title} overlaps`);
        cells.add(`${x},${y}`);
      }
  }
  assert.equal(new Set(dashboardCharts(PARAMS).map((c) => c.title)).size, 11, 'titles unique');
});

test('the alerts: the four Prometheus expressions, thresholds from params, for → consecutive matches', () => {
  const bodies = alertBodies(PARAMS, TARGET);
  const expressions = alertExpressions(PARAMS);
  assert.deepEqual(
    bodies.map((b) => b.displayName),
    Object.keys(expressions),
  );
  assert.deepEqual(
    bodies.map((b) => b.name),
    Object.values(ALERT_NAMES),
  );
  for (const b of bodies) {
    assert.equal(b.configuration.queryList[0].query, expressions[b.displayName]);
    assert.equal(b.schedule.interval, PARAMS.evaluationInterval);
    assert.equal(b.configuration.labels[0].value, alertMeta(PARAMS)[b.displayName].severity);
  }
  const changed = structuredClone(PARAMS);
  changed.errorRate.threshold = 0.02;
  changed.errorRate.for = '10m';
  const [errorRate] = alertBodies(changed, TARGET);
  assert.match(errorRate.configuration.queryList[0].query, /\) > 0\.02\n/);
  assert.equal(errorRate.configuration.threshold, 10);
  assert.equal(errorRate.configuration.severityConfigurations[0].severity, 10, 'critical');
  assert.equal(bodies[1].configuration.severityConfigurations[0].severity, 6, 'warning');
});

test('alert texts use SLS templates, not Prometheus ones', () => {
  assert.equal(slsTemplate('{{ $labels.service_name }} at {{ $value | humanizePercentage }}'), '${labels.service_name} at ${value}');
  for (const b of alertBodies(PARAMS, TARGET)) {
    for (const a of b.configuration.annotations) assert.doesNotMatch(a.value, /\{\{/, `${b.name} ${a.key}`);
  }
});

test('the committed Terraform module is what sls/terraform.mjs makes from alerts/params.json', () => {
  for (const [name, text] of Object.entries(renderModule(PARAMS))) {
    assert.equal(readFileSync(join(MODULE_DIR, name), 'utf8'), text, `sls/terraform/${name}: run node sls/terraform.mjs`);
  }
  const main = readFileSync(join(MODULE_DIR, 'main.tf'), 'utf8');
  assert.equal((main.match(/^resource "alicloud_log_alert"/gm) ?? []).length, 4);
  assert.equal((main.match(/^resource "alicloud_log_dashboard"/gm) ?? []).length, 1);
  assert.equal((main.match(/store_type += "metric"/g) ?? []).length, 4);
  assert.equal((main.match(/version += "2\.0"/g) ?? []).length, 4);
  assert.doesNotMatch(main.replace(/\$\$\{/g, ''), /\$\{/, 'every SLS template is escaped from Terraform interpolation');
});

test('arguments: region from the endpoint, credentials refused, an http:// endpoint only as given', () => {
  assert.equal(regionOfEndpoint('cn-hangzhou.log.aliyuncs.com'), 'cn-hangzhou');
  assert.equal(regionOfEndpoint('ap-southeast-1-intranet.log.aliyuncs.com'), 'ap-southeast-1');
  const o = parseArgs(['--endpoint', 'cn-shanghai.log.aliyuncs.com', '--project', 'p', '--metricstore', 'm']);
  assert.deepEqual([o.protocol, o.endpoint, o.region], ['https', 'cn-shanghai.log.aliyuncs.com', 'cn-shanghai']);
  assert.throws(() => parseArgs(['--endpoint', 'example.com', '--project', 'p', '--metricstore', 'm']), /--region is required/);
  assert.throws(() => parseArgs(['--accessKeySecret=x']), UsageError);
  assert.throws(() => parseArgs(['--project', 'p']), /--endpoint is required/);
});

test('the SLS SDK stays out of the runtime: nothing under src/ or dist/ names it, no export reaches sls/', () => {
  const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
  for (const file of [...files(join(repoRoot, 'src')), ...files(join(repoRoot, 'dist'))]) {
    assert.doesNotMatch(readFileSync(file, 'utf8'), /@alicloud|sls\/apply/, file);
  }
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  assert.ok(!JSON.stringify(pkg.exports).includes('sls'), 'no package export points into sls/');
  assert.equal(pkg.dependencies?.['@alicloud/sls20201230'], undefined, 'not a dependency');
  assert.equal(pkg.peerDependenciesMeta?.['@alicloud/sls20201230']?.optional, true, 'an optional peer');
  assert.equal(pkg.bin['cmdtel-sls'], './sls/apply.mjs');
  // The only module that loads the SDK does so lazily, inside the command.
  const importers = files(join(repoRoot, 'sls')).filter((f) => /@alicloud\/sls20201230/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(
    importers.map((f) => f.slice(repoRoot.length + 1)),
    ['sls/apply.mjs'],
  );
  assert.doesNotMatch(readFileSync(join(repoRoot, 'sls', 'apply.mjs'), 'utf8'), /^import .*@alicloud/m, 'no static import of the SDK');
});
