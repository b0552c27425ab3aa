// cmdtel-sls (sls/apply.mjs) as a real child process, with the official SDK
// (@alicloud/sls20201230, a devDependency), against a loopback stand-in of the SLS endpoint that
// records every request the SDK makes. What this proves: which calls the command makes, in which
// order, with which bodies, that they are signed with the environment's credentials and never carry
// the secret, that a second run writes nothing, that drift is repaired with exactly one update, and
// what --dry-run and bad input do. What it cannot prove: that real SLS accepts these bodies (see
// docs/sls.md, "What is verified").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadParams } from '../../alerts/render.mjs';
import { alertExpressions } from '../../alerts/render.mjs';
import { alertBodies, dashboardBody, ALERT_NAMES } from '../../sls/definitions.mjs';
import { cleanEnv, runNode } from '../helpers/run-node.js';
import { fixture, repoRoot } from '../helpers/paths.js';
import { startSlsStandIn } from '../helpers/sls-standin.js';

const APPLY = join(repoRoot, 'sls', 'apply.mjs');
const DNS_SHIM = fixture('sls-loopback-dns.mjs');
const AKID = 'LTAI-standin-key-id';
const SECRET = 'standin-secret-9f8e7d6c5b4a';
const TOKEN = 'standin-sts-token-0a1b2c3d';
const PROJECT = 'my-cli-telemetry';
const METRICSTORE = 'cli-invocations';
const PARAMS = loadParams();
const TARGET = { project: PROJECT, metricstore: METRICSTORE, region: 'cn-hangzhou' };

const env = (extra = {}) => {
  const base = cleanEnv();
  for (const name of Object.keys(base)) if (name.startsWith('ALIBABA_CLOUD_')) delete base[name];
  return { ...base, ALIBABA_CLOUD_ACCESS_KEY_ID: AKID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET, ...extra };
};

function runApply(standIn, extraArgs = [], extraEnv = {}) {
  const args = [
    '--endpoint',
    `http://sls-standin.test:${standIn.port}`,
    '--region',
    'cn-hangzhou',
    '--project',
    PROJECT,
    '--metricstore',
    METRICSTORE,
    ...extraArgs,
  ];
  return runNode(APPLY, args, { env: env(extraEnv), nodeArgs: ['--import', DNS_SHIM], timeoutMs: 60_000 });
}

const plainJson = (v) => JSON.parse(JSON.stringify(v));
const calls = (requests) => requests.map((r) => `${r.method} ${r.path}`);

function assertNoSecret(what, text) {
  assert.ok(!text.includes(SECRET), `${what} contains the access key secret`);
  assert.ok(!text.includes(TOKEN), `${what} contains the security token`);
}

test('first run creates the dashboard and the four alerts, signed, with the generated bodies', { timeout: 90_000 }, async (t) => {
  const standIn = await startSlsStandIn();
  t.after(() => standIn.stop());
  const run = await runApply(standIn, [], { ALIBABA_CLOUD_SECURITY_TOKEN: TOKEN });
  assert.equal(run.code, 0, run.stderr);
  const names = Object.values(ALERT_NAMES);
  assert.deepEqual(calls(standIn.requests), [
    'GET /dashboards/cmdtel-cli-invocations',
    'POST /dashboards',
    ...names.flatMap((n) => [`GET /alerts/${n}`, 'POST /alerts']),
  ]);
  for (const r of standIn.requests) {
    assert.equal(r.headers.host, `${PROJECT}.sls-standin.test:${standIn.port}`, 'the project is the host prefix');
    assert.match(r.headers.authorization, new RegExp(`^LOG ${AKID}:[A-Za-z0-9+/]{43}=$`), 'signed with the key id from the environment (HMAC-SHA256, base64)');
    assert.equal(r.headers['x-log-signaturemethod'], 'hmac-sha256');
    assert.equal(r.headers['x-log-apiversion'], '0.6.0');
    assert.equal(r.headers['x-acs-security-token'], TOKEN, 'the STS token travels in its header');
    assert.ok(r.headers.date, 'dated');
    // The secret signs, it never travels; the STS token travels in its own header only.
    const { 'x-acs-security-token': _token, ...otherHeaders } = r.headers;
    assertNoSecret(`${r.method} ${r.path}`, JSON.stringify(otherHeaders) + r.raw);
  }
  // The bodies are exactly the generated definitions.
  const [dashboardPost] = standIn.requests.filter((r) => r.method === 'POST' && r.path === '/dashboards');
  assert.deepEqual(dashboardPost.body, plainJson(dashboardBody(PARAMS, TARGET)));
  assert.equal(dashboardPost.body.charts.length, 11);
  const chartQueries = dashboardPost.body.charts.flatMap((c) => c.search.chartQueries);
  assert.equal(chartQueries.length, 13);
  for (const q of chartQueries) {
    assert.equal(q.datasource, 'metricstore');
    assert.equal(q.logstore, METRICSTORE);
    assert.equal(q.project, PROJECT);
    assert.ok(q.legendFormat);
    assert.doesNotMatch(q.query, /\b(rate|increase|irate)\(|\[[^\]]*:[^\]]*\]/, 'no rate()/increase(), no subquery');
  }
  const alertPosts = standIn.requests.filter((r) => r.method === 'POST' && r.path === '/alerts').map((r) => r.body);
  assert.deepEqual(alertPosts, plainJson(alertBodies(PARAMS, TARGET)));
  const expressions = alertExpressions(PARAMS);
  assert.deepEqual(
    alertPosts.map((a) => [a.displayName, a.configuration.queryList[0].query]),
    Object.entries(expressions),
  );
  for (const a of alertPosts) {
    assert.equal(a.configuration.version, '2.0');
    assert.equal(a.configuration.queryList[0].storeType, 'metric');
    assert.equal(a.configuration.queryList[0].store, METRICSTORE);
  }
  assert.deepEqual(
    alertPosts.map((a) => a.configuration.threshold),
    [5, 5, 5, 1],
    'for: 5m at a 1m interval → 5 consecutive matches; for: 0m → 1',
  );
  assert.match(run.stdout, /dashboard cmdtel-cli-invocations: created/);
  assert.match(run.stdout, /5 of 5 changed/);
  assertNoSecret('stdout', run.stdout);
  assertNoSecret('stderr', run.stderr);
});

test('a second run reads everything and writes nothing; drift is repaired with one update', { timeout: 120_000 }, async (t) => {
  const standIn = await startSlsStandIn();
  t.after(() => standIn.stop());
  assert.equal((await runApply(standIn)).code, 0);
  const afterFirst = standIn.requests.length;

  const second = await runApply(standIn);
  assert.equal(second.code, 0, second.stderr);
  const secondCalls = calls(standIn.requests.slice(afterFirst));
  assert.deepEqual(secondCalls, ['GET /dashboards/cmdtel-cli-invocations', ...Object.values(ALERT_NAMES).map((n) => `GET /alerts/${n}`)]);
  assert.match(second.stdout, /nothing to change/);

  // Someone edits one alert in the console: only that one is put back.
  standIn.store.alerts.get('cmdtel-error-rate-high').configuration.threshold = 1;
  standIn.store.dashboards.get('cmdtel-cli-invocations').charts[0].title = 'edited';
  const mark = standIn.requests.length;
  const third = await runApply(standIn);
  assert.equal(third.code, 0, third.stderr);
  const writes = standIn.requests.slice(mark).filter((r) => r.method !== 'GET');
  assert.deepEqual(calls(writes), ['PUT /dashboards/cmdtel-cli-invocations', 'PUT /alerts/cmdtel-error-rate-high']);
  const { name, ...fields } = plainJson(alertBodies(PARAMS, TARGET))[0];
  assert.equal(name, 'cmdtel-error-rate-high');
  assert.deepEqual(writes[1].body, fields, 'UpdateAlert carries the whole definition but the name');
  assert.match(third.stdout, /alert cmdtel-error-rate-high: updated/);
  assert.match(third.stdout, /alert cmdtel-latency-high: unchanged/);

  const fourth = await runApply(standIn);
  assert.match(fourth.stdout, /nothing to change/);
});

test('--dry-run prints every body and contacts nothing, without credentials', { timeout: 60_000 }, async (t) => {
  const standIn = await startSlsStandIn();
  t.after(() => standIn.stop());
  const args = [
    '--endpoint',
    `http://sls-standin.test:${standIn.port}`,
    '--region',
    'cn-hangzhou',
    '--project',
    PROJECT,
    '--metricstore',
    METRICSTORE,
    '--dry-run',
  ];
  const bare = cleanEnv();
  for (const name of Object.keys(bare)) if (name.startsWith('ALIBABA_CLOUD_')) delete bare[name];
  const run = await runNode(APPLY, args, { env: bare, nodeArgs: ['--import', DNS_SHIM] });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(standIn.requests.length, 0);
  const printed = JSON.parse(run.stdout);
  assert.deepEqual(printed.dashboard.createOrUpdate, plainJson(dashboardBody(PARAMS, TARGET)));
  assert.deepEqual(
    printed.alerts.map((a) => a.createOrUpdate),
    plainJson(alertBodies(PARAMS, TARGET)),
  );
});

test('credentials only from the environment: a key argument is refused, a missing variable is named', { timeout: 60_000 }, async (t) => {
  const standIn = await startSlsStandIn();
  t.after(() => standIn.stop());
  const refused = await runApply(standIn, ['--access-key-secret', SECRET]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /never from arguments/);
  assertNoSecret('stderr', refused.stderr);
  const missing = await runApply(standIn, [], { ALIBABA_CLOUD_ACCESS_KEY_SECRET: '' });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set/);
  assert.equal(standIn.requests.length, 0);
});

test('an SLS error fails the run with exit 1 and the error code, no secret in the output', { timeout: 60_000 }, async (t) => {
  const standIn = await startSlsStandIn();
  t.after(() => standIn.stop());
  standIn.failNext('POST', 403, 'Unauthorized');
  const run = await runApply(standIn, [], { ALIBABA_CLOUD_SECURITY_TOKEN: TOKEN });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /HTTP 403 Unauthorized/);
  assert.deepEqual(calls(standIn.requests), ['GET /dashboards/cmdtel-cli-invocations', 'POST /dashboards']);
  assertNoSecret('stdout', run.stdout);
  assertNoSecret('stderr', run.stderr);
});
