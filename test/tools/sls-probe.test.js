// cmdtel-sls probe against a real Prometheus (the same HTTP API a Metricstore serves): every
// construct checks out on its known data; and behind a loopback proxy that refuses one function,
// the report names it, marks every query set that needs it unusable, and exits 1. Needs the
// prometheus binary (scripts/ensure-prometheus.sh; .ci/run installs it before this suite).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { CHECKS } from '../../sls/probe.mjs';
import { startPrometheus } from '../e2e/harness/prometheus.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';
import { repoRoot } from '../helpers/paths.js';

const APPLY = join(repoRoot, 'sls', 'apply.mjs');

/** A proxy to `target` that answers a Prometheus API error for queries matching `refuse`. */
async function refusingProxy(target, refuse) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const query = new URLSearchParams(body).get('query') ?? '';
      if (refuse.test(query)) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'unsupported function' }));
        return;
      }
      const upstream = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
        body: req.method === 'GET' ? undefined : body,
        signal: AbortSignal.timeout(10_000),
      });
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(await upstream.text());
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const probeEnv = () => {
  const env = cleanEnv();
  for (const name of Object.keys(env)) if (name.startsWith('ALIBABA_CLOUD_')) delete env[name];
  return env;
};

test('the probe against Prometheus: every construct ok, every query set usable', { timeout: 120_000 }, async (t) => {
  const prom = await startPrometheus();
  t.after(() => prom.stop());
  const run = await runNode(APPLY, ['probe', '--url', prom.url], { env: probeEnv(), timeoutMs: 60_000 });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, new RegExp(`\\(${CHECKS.length}/${CHECKS.length} constructs ok\\)`));
  assert.equal((run.stdout.match(/^ok {4}/gm) ?? []).length, CHECKS.length);
  assert.equal((run.stdout.match(/^ {2}usable/gm) ?? []).length, 3);
  assert.match(run.stdout, /SLS: the dashboard and alerts of cmdtel-sls will work/);
  process.stdout.write(run.stdout.replace(/^/gm, '# '));

  // An engine without histogram_quantile: named, and every set needs it.
  const proxy = await refusingProxy(prom.url, /histogram_quantile/);
  t.after(() => proxy.stop());
  const refused = await runNode(APPLY, ['probe', '--url', proxy.url], { env: probeEnv(), timeoutMs: 60_000 });
  assert.equal(refused.code, 1, refused.stdout + refused.stderr);
  assert.match(
    refused.stdout,
    /^FAIL {2}label_replace, or, sum by \(le\), histogram_quantile +expected 4\.98, got error: HTTP 400: bad_data: unsupported function/m,
  );
  assert.equal((refused.stdout.match(/^FAIL/gm) ?? []).length, 1);
  assert.equal((refused.stdout.match(/^ {2}NOT usable/gm) ?? []).length, 3);
  assert.match(refused.stdout, /SLS: the dashboard and alerts of cmdtel-sls will NOT work/);

  // An engine without subqueries: the Grafana raw dashboard is out; the probe says so.
  const noSub = await refusingProxy(prom.url, /\[\w+:\w+\]/);
  t.after(() => noSub.stop());
  const sub = await runNode(APPLY, ['probe', '--url', noSub.url], { env: probeEnv(), timeoutMs: 60_000 });
  assert.equal(sub.code, 1);
  assert.match(sub.stdout, /NOT usable {2}Grafana dashboards\/grafana\/cmdtel-raw\.json/);
});
