// Both Grafana dashboards, type-checked against Grafana's own published schema (@grafana/schema,
// Apache-2.0): the dashboard model against its `Dashboard` type at the package's current
// schemaVersion, and each panel's options and custom field config against that panel plugin's
// published `Options` / `FieldConfig`. TypeScript does the checking: the dashboard is written out
// as a .ts file that assigns the JSON to the typed constants, and `tsc --noEmit` must accept it.
// A deliberately wrong field must make the same check fail, so the check is known to bite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DASHBOARDS, SCHEMA_VERSION } from '../../dashboards/render.mjs';
import { repoRoot as ROOT } from '../helpers/paths.js';

const require = createRequire(import.meta.url);
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** The panel plugins the dashboards use → the module of @grafana/schema that types them. */
const PANEL_TYPES = {
  stat: { module: 'stat/panelcfg/x/StatPanelCfg_types.gen', fieldConfig: false },
  timeseries: { module: 'timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen', fieldConfig: true },
  table: { module: 'table/panelcfg/x/TablePanelCfg_types.gen', fieldConfig: true },
  bargauge: { module: 'bargauge/panelcfg/x/BarGaugePanelCfg_types.gen', fieldConfig: false },
  piechart: { module: 'piechart/panelcfg/x/PieChartPanelCfg_types.gen', fieldConfig: true },
};

/**
 * The TypeScript source that type-checks one dashboard. The export envelope (`__inputs`,
 * `__requires`, `__elements`) is Grafana's import format around the dashboard, not part of its
 * schema, so it is left out; everything else is assigned as written.
 */
function typedSource(dashboard) {
  const { __inputs, __requires, __elements, ...model } = dashboard;
  const lines = [`import type { Dashboard } from '@grafana/schema';`];
  // The schema's string enums (ThresholdsMode.Absolute = 'absolute', …) as the JSON spells them:
  // a JSON file holds the values, never the enum members. Everything else keeps its type.
  lines.push(
    'type Json<T> = T extends string ? `${T}` : T extends number | boolean | null | undefined ? T',
    '  : T extends Array<infer U> ? Array<Json<U>> : T extends object ? { [K in keyof T]: Json<T[K]> } : T;',
  );
  for (const [type, { module }] of Object.entries(PANEL_TYPES)) {
    lines.push(`import type * as ${type} from '@grafana/schema/dist/esm/raw/composable/${module}';`);
  }
  lines.push(`export const dashboard: Json<Dashboard> = ${JSON.stringify(model, null, 2)};`);
  for (const panel of model.panels.filter((p) => p.type !== 'row')) {
    const typing = PANEL_TYPES[panel.type];
    assert.ok(typing, `panel type ${panel.type} (${panel.title}) has no schema mapping in this test`);
    // Partial at the top: Grafana fills in options a dashboard leaves out; every option that is
    // written must exist and have the right type, nested objects included.
    lines.push(`export const options_${panel.id}: Partial<Json<${panel.type}.Options>> = ${JSON.stringify(panel.options)};`);
    if (typing.fieldConfig && panel.fieldConfig.defaults.custom) {
      lines.push(`export const custom_${panel.id}: Partial<Json<${panel.type}.FieldConfig>> = ${JSON.stringify(panel.fieldConfig.defaults.custom)};`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Runs tsc over `source` in a scratch folder inside the repository (so node_modules resolves). */
function typecheck(t, source) {
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.cache', 'grafana-schema-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'dashboard.ts'), source);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: true, types: [] },
      files: ['dashboard.ts'],
    }),
  );
  const run = spawnSync(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

test("the dashboards declare @grafana/schema's current schemaVersion", () => {
  const { defaultDashboard } = require('@grafana/schema');
  assert.equal(SCHEMA_VERSION, defaultDashboard.schemaVersion);
  for (const file of Object.keys(DASHBOARDS)) assert.equal(JSON.parse(readFileSync(file, 'utf8')).schemaVersion, SCHEMA_VERSION, file);
});

for (const file of Object.keys(DASHBOARDS)) {
  const name = file.split(/[\\/]/).pop();
  test(`${name} type-checks against @grafana/schema (Dashboard, panel Options and FieldConfig)`, { timeout: 180_000 }, (t) => {
    const dashboard = JSON.parse(readFileSync(file, 'utf8'));
    const { status, output } = typecheck(t, typedSource(dashboard));
    assert.equal(status, 0, output);
  });
}

test('the check bites: a misspelt panel field, a wrong option type and a bad variable type fail', { timeout: 180_000 }, (t) => {
  const dashboard = JSON.parse(readFileSync(Object.keys(DASHBOARDS)[0], 'utf8'));
  const stat = dashboard.panels.find((p) => p.type === 'stat');
  stat.gridPosition = stat.gridPos; // not a panel field
  stat.options.graphMode = 'sometimes'; // not a BigValueGraphMode
  dashboard.templating.list[1].type = 'dropdown'; // not a VariableType
  const { status, output } = typecheck(t, typedSource(dashboard));
  assert.notEqual(status, 0, 'tsc accepted a wrong dashboard');
  assert.match(output, /gridPosition/);
  assert.match(output, /sometimes/);
  assert.match(output, /dropdown/);
});
