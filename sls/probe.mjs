/**
 * `cmdtel-sls probe`: checks, once, that a PromQL endpoint (an SLS Metricstore's Prometheus query
 * API, or any Prometheus) evaluates every construct cmdtel's queries use, on data whose answer is
 * known, and says which query set to use.
 *
 * The data is built inside the queries (vector(), time(), label_replace, subqueries), so the probe
 * writes nothing and works on an empty Metricstore. Each check is evaluated half a minute past a
 * whole minute, away from every step boundary, so the answer is the same whether range selectors
 * are closed on the left (Prometheus 2.x) or open (3.x).
 *
 * Authentication: with ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET set, HTTP
 * basic auth with that pair (what a Metricstore expects); without them, none (a local Prometheus).
 */

/** A minute-counter built from time(): its value at a step is that step's minute number. */
const MINUTES = 'floor(vector(time()) / 60)';
const bucket = (le, n) => `label_replace(vector(${n}), "le", "${le}", "", "")`;

/**
 * The constructs, each with the query sets that need it. `expect` is the instant value (one row),
 * `null` for "no rows".
 */
export const CHECKS = [
  { name: 'instant query, vector()', query: 'vector(2)', expect: 2, sets: ['recorded', 'raw', 'sls'] },
  { name: 'range query API (/api/v1/query_range)', query: 'vector(1)', range: true, expect: 1, sets: ['recorded', 'raw', 'sls'] },
  { name: 'subquery + last_over_time', query: `last_over_time(${MINUTES}[5m:1m])`, expect: (t) => Math.floor(t / 60), sets: ['raw', 'sls'] },
  { name: 'offset', query: `last_over_time(${MINUTES}[2m:1m] offset 1m)`, expect: (t) => Math.floor((t - 60) / 60), sets: ['raw', 'sls'] },
  {
    name: 'exact count: difference >= 0',
    query: `last_over_time(${MINUTES}[5m:1m]) - last_over_time(${MINUTES}[1h:1m] offset 5m) >= 0\nor last_over_time(${MINUTES}[5m:1m]) + 0`,
    expect: 5,
    sets: ['raw', 'sls'],
  },
  { name: 'exact count: reset branch (or … + 0)', query: '(vector(1) - vector(7) >= 0) or vector(1) + 0', expect: 1, sets: ['raw', 'sls'] },
  { name: 'comparison filter drops rows', query: 'vector(1) - vector(7) >= 0', expect: null, sets: ['raw', 'sls'] },
  { name: 'sum_over_time over a subquery', query: 'sum_over_time(vector(2)[5m:1m])', expect: 10, sets: ['raw'] },
  {
    name: 'label_replace, or, sum by (le), histogram_quantile',
    query: `histogram_quantile(0.99, sum by (le) (${bucket('3', 0)} or ${bucket('5', 20)} or ${bucket('+Inf', 20)}))`,
    expect: 4.98,
    sets: ['recorded', 'raw', 'sls'],
  },
  { name: 'division with on () group_left ()', query: 'vector(3) / on () group_left () (vector(6) > 0)', expect: 0.5, sets: ['recorded', 'raw', 'sls'] },
  { name: 'and on ()', query: 'vector(1) and on () vector(2)', expect: 1, sets: ['recorded', 'raw', 'sls'] },
  { name: 'unless on ()', query: 'vector(1) unless on () vector(2)', expect: null, sets: ['sls'] },
  {
    name: 'count and sort_desc',
    query: `count(sort_desc(label_replace(vector(1), "a", "x", "", "") or label_replace(vector(2), "a", "y", "", "")))`,
    expect: 2,
    sets: ['recorded', 'raw', 'sls'],
  },
];

/** The query sets, what they are, and where they live. */
export const QUERY_SETS = {
  recorded: 'Grafana dashboards/grafana/cmdtel.json (needs the recording rules of alerts/cmdtel.rules.yml)',
  raw: 'Grafana dashboards/grafana/cmdtel-raw.json (the formula inline, with subqueries)',
  sls: 'SLS dashboard and alerts of cmdtel-sls, and the console queries of docs/sls.md (no subqueries)',
};

/** A small Prometheus HTTP API client (fetch, bounded). */
export function promApi(baseUrl, { auth, timeoutMs = 15_000 } = {}) {
  const headers = auth ? { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` } : {};
  const call = async (path, params) => {
    const response = await fetch(`${baseUrl.replace(/\/$/, '')}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`HTTP ${response.status}: not a Prometheus API answer (${text.slice(0, 120)})`);
    }
    if (json.status !== 'success') throw new Error(`HTTP ${response.status}: ${json.errorType ?? 'error'}: ${json.error ?? text.slice(0, 200)}`);
    return json.data;
  };
  return {
    instant: (query, time) => call('/api/v1/query', { query, time: String(time) }),
    range: (query, start, end, step) => call('/api/v1/query_range', { query, start: String(start), end: String(end), step: String(step) }),
  };
}

/** Runs one check; resolves with { ok, got, expected, error? }. */
async function runCheck(api, check, t) {
  const expected = typeof check.expect === 'function' ? check.expect(t) : check.expect;
  try {
    let values;
    if (check.range) {
      const data = await api.range(check.query, t - 300, t, 60);
      values = data.result.flatMap((s) => s.values.map(([, v]) => Number(v)));
      const ok = values.length >= 5 && values.every((v) => v === expected);
      return { ok, got: values.length === 0 ? 'no rows' : `${values.length} points: ${[...new Set(values)].join(', ')}`, expected: `every point ${expected}` };
    }
    const data = await api.instant(check.query, t);
    values = data.result.map((r) => Number(r.value[1]));
    if (expected === null) return { ok: values.length === 0, got: values.length === 0 ? 'no rows' : values.join(', '), expected: 'no rows' };
    const ok = values.length === 1 && Math.abs(values[0] - expected) < 1e-9;
    return { ok, got: values.length === 0 ? 'no rows' : values.join(', '), expected: String(expected) };
  } catch (error) {
    return { ok: false, got: `error: ${error.message}`, expected: expected === null ? 'no rows' : String(expected) };
  }
}

/** Looks for cmdtel's own series (informational: which dashboard has data to show). */
async function dataPresent(api, t) {
  const count = async (query) => {
    try {
      const data = await api.instant(query, t);
      return data.result.length === 0 ? 0 : Number(data.result[0].value[1]);
    } catch {
      return 0;
    }
  };
  return {
    raw: await count('count(last_over_time(cli_command_invocations_total[1d]))'),
    recorded: await count('count(last_over_time(cmdtel:invocations:exact_increase[1d]))'),
  };
}

/**
 * Runs every check against `api` at `t` (unix seconds, defaults to half a minute before the
 * current minute). Resolves with { t, results, sets, data }.
 */
export async function probe(api, t = Math.floor(Date.now() / 60_000) * 60 - 30) {
  const results = [];
  for (const check of CHECKS) results.push({ check, ...(await runCheck(api, check, t)) });
  const sets = Object.fromEntries(
    Object.keys(QUERY_SETS).map((set) => [set, results.filter((r) => r.check.sets.includes(set) && !r.ok).map((r) => r.check.name)]),
  );
  return { t, results, sets, data: await dataPresent(api, t) };
}

/** The report as text. */
export function report({ t, results, sets, data }) {
  const lines = [`PromQL compatibility at ${new Date(t * 1000).toISOString()} (${results.filter((r) => r.ok).length}/${results.length} constructs ok)`, ''];
  const width = Math.max(...results.map((r) => r.check.name.length));
  for (const r of results) lines.push(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.check.name.padEnd(width)}  expected ${r.expected}, got ${r.got}`);
  lines.push('', 'Query sets:');
  for (const [set, missing] of Object.entries(sets)) {
    lines.push(`  ${missing.length === 0 ? 'usable    ' : 'NOT usable'}  ${QUERY_SETS[set]}${missing.length ? ` — missing: ${missing.join('; ')}` : ''}`);
  }
  lines.push('', `cmdtel series in the last day: ${data.raw} raw, ${data.recorded} recorded (cmdtel:invocations:exact_increase).`);
  const grafana = data.recorded > 0 && sets.recorded.length === 0 ? 'recorded' : sets.raw.length === 0 ? 'raw' : sets.sls.length === 0 ? 'sls' : undefined;
  lines.push(
    grafana === 'sls'
      ? 'Grafana: neither Grafana dashboard works here; use the SLS dashboard (cmdtel-sls), or chart the docs/sls.md queries.'
      : grafana
        ? `Grafana: use ${QUERY_SETS[grafana]}.`
        : 'Grafana: no exact query set works on this endpoint (docs/sls.md, "When the probe fails").',
  );
  lines.push(
    sets.sls.length === 0
      ? 'SLS: the dashboard and alerts of cmdtel-sls will work.'
      : 'SLS: the dashboard and alerts of cmdtel-sls will NOT work as generated (docs/sls.md, "When the probe fails").',
  );
  return `${lines.join('\n')}\n`;
}

/** `cmdtel-sls probe --url <base> [--time <unix>]`; returns the exit code (0 all ok, 1 something missing, 2 usage). */
export async function main(argv, { env = process.env, out = process.stdout, err = process.stderr } = {}) {
  let url;
  let time;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--url' || flag === '--time') i += 1;
    if (flag === '--url') url = argv[i];
    else if (flag === '--time') time = Number(argv[i]);
    else if (flag === '--help' || flag === '-h') {
      out.write('Usage: cmdtel-sls probe --url https://<project>.<endpoint>/prometheus/<project>/<metricstore> [--time <unix seconds>]\n');
      return 0;
    } else {
      err.write(`cmdtel-sls probe: unknown argument ${JSON.stringify(argv[i])}\n`);
      return 2;
    }
  }
  if (!url) {
    err.write('cmdtel-sls probe: --url is required (the Prometheus query API base, without /api/v1)\n');
    return 2;
  }
  const id = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const secret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  const api = promApi(url, { auth: id && secret ? { user: id, password: secret } : undefined });
  const result = await probe(api, Number.isFinite(time) ? time : undefined);
  const text = report(result);
  out.write(secret ? text.split(secret).join('[redacted]') : text);
  return result.results.every((r) => r.ok) ? 0 : 1;
}
