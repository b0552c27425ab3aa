// The Terraform module sls/terraform/ as terraform itself sees it. Needs a `terraform` binary on
// PATH (or TERRAFORM_BIN) and fails without one; .ci/run runs this suite only where terraform is
// installed. No provider is downloaded (the registry is out of reach here), so this checks the
// files' syntax and formatting (`terraform fmt -check`) and evaluates the module's own expressions
// with `terraform console` (no provider needed): the dashboard's char_list and each alert's query
// and texts must decode to exactly the bodies cmdtel-sls sends. `terraform validate`/`plan` (the
// provider's schema: attribute names, types, required fields) are NOT run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { loadParams } from '../../alerts/render.mjs';
import { alertBodies, dashboardBody } from '../../sls/definitions.mjs';
import { MODULE_DIR } from '../../sls/terraform.mjs';

function terraformPath() {
  if (process.env.TERRAFORM_BIN) return process.env.TERRAFORM_BIN;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, 'terraform'), constants.X_OK);
      return join(dir, 'terraform');
    } catch {
      // not here
    }
  }
  return assert.fail('terraform is not on PATH (set TERRAFORM_BIN): this suite needs it');
}

const terraform = (args, { cwd, input } = {}) => {
  const run = spawnSync(terraformPath(), args, {
    cwd,
    input,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
  });
  return { status: run.status, stdout: run.stdout, output: `${run.stdout}${run.stderr}` };
};

const VARS = {
  project: 'my-cli-telemetry',
  metricstore: 'cli-invocations',
  region: 'cn-hangzhou',
  dashboard_name: 'cmdtel-cli-invocations',
  action_policy_id: 'my-action-policy',
};

test('terraform fmt -check accepts the module as generated', () => {
  const { status, output } = terraform(['fmt', '-check', '-diff', MODULE_DIR]);
  assert.equal(status, 0, output);
});

test("terraform evaluates the module's expressions to exactly the bodies cmdtel-sls sends", (t) => {
  const main = readFileSync(join(MODULE_DIR, 'main.tf'), 'utf8');
  // Each expression of interest, lifted out of main.tf as written, into a provider-free module.
  const charList = /^ {2}char_list = (jsonencode\(\[[\s\S]*?\n {2}\]\))$/m.exec(main)?.[1];
  assert.ok(charList, 'char_list in main.tf');
  const alertAttr = (name, attr) => {
    const body = new RegExp(`^resource "alicloud_log_alert" "${name}" \\{([\\s\\S]*?)^\\}`, 'm').exec(main)?.[1];
    assert.ok(body, name);
    return [...body.matchAll(new RegExp(`^ +${attr} += (.*)$`, 'gm'))].map((m) => m[1]);
  };
  const alerts = alertBodies(loadParams(), {
    project: VARS.project,
    metricstore: VARS.metricstore,
    region: VARS.region,
    dashboardName: VARS.dashboard_name,
    actionPolicyId: VARS.action_policy_id,
  });
  const locals = [`  char_list = ${charList.replace(/\n/g, '\n  ')}`];
  for (const a of alerts) {
    const id = a.name.replace(/-/g, '_');
    locals.push(`  ${id}_query = ${alertAttr(id, 'query')[0]}`);
    locals.push(`  ${id}_values = [${alertAttr(id, 'value').join(', ')}]`);
    locals.push(`  ${id}_description = ${alertAttr(id, 'alert_description')[0]}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'cmdtel-tf-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'variables.tf'), readFileSync(join(MODULE_DIR, 'variables.tf'), 'utf8'));
  writeFileSync(join(dir, 'locals.tf'), `locals {\n${locals.join('\n')}\n}\n`);
  // One expression (terraform console prints the last value of a non-interactive session only).
  const fields = [
    'char_list = local.char_list',
    ...alerts.flatMap((a) => {
      const id = a.name.replace(/-/g, '_');
      return [`${id}_query = local.${id}_query`, `${id}_values = local.${id}_values`, `${id}_description = local.${id}_description`];
    }),
  ];
  const args = ['console', ...Object.entries(VARS).flatMap(([k, v]) => ['-var', `${k}=${v}`])];
  const { status, stdout, output } = terraform(args, { cwd: dir, input: `jsonencode({ ${fields.join(', ')} })\n` });
  assert.equal(status, 0, output);
  // The answer is an HCL string literal holding JSON; char_list inside it is JSON again.
  const line = stdout
    .trim()
    .split('\n')
    .find((l) => l.startsWith('"'));
  assert.ok(line, stdout.slice(0, 2000));
  const got = JSON.parse(JSON.parse(line));
  const dashboard = dashboardBody(loadParams(), { project: VARS.project, metricstore: VARS.metricstore });
  assert.deepEqual(JSON.parse(got.char_list), JSON.parse(JSON.stringify(dashboard.charts)), 'char_list = the CreateDashboard charts');
  for (const a of alerts) {
    const id = a.name.replace(/-/g, '_');
    const [query, values, description] = [got[`${id}_query`], got[`${id}_values`], got[`${id}_description`]];
    assert.equal(query, a.configuration.queryList[0].query, `${a.name} query`);
    assert.deepEqual(
      values,
      [...a.configuration.labels, ...a.configuration.annotations].map((x) => x.value),
      `${a.name} labels and annotations`,
    );
    assert.equal(description, a.description, `${a.name} description`);
  }
});
