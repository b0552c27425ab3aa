// A small client for the Prometheus HTTP API, as Grafana's data source uses it:
// instant and range queries, series (for label_values variables), alerts.
// Every request has a bounded wait.

const TIMEOUT_MS = 30_000;

async function call(base, path, params) {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, String(v));
  }
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const json = await response.json();
  if (json.status !== 'success') {
    const query = params.query ? `\n${params.query}` : '';
    throw new Error(`Prometheus ${path}: ${json.errorType}: ${json.error}${query}`);
  }
  return json.data;
}

/** A Prometheus client bound to one base URL (`http://127.0.0.1:9090`). */
export function prometheusApi(base) {
  return {
    /** Instant query at `time` (unix seconds): [{ metric, value: number }]. */
    async instant(query, time) {
      const data = await call(base, '/api/v1/query', { query, time });
      if (data.resultType === 'scalar') return [{ metric: {}, value: Number(data.result[1]) }];
      return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    /** Range query: [{ metric, points: [[t, value]] }]. */
    async range(query, start, end, step) {
      const data = await call(base, '/api/v1/query_range', { query, start, end, step });
      return data.result.map((r) => ({ metric: r.metric, points: r.values.map(([t, v]) => [Number(t), Number(v)]) }));
    },
    /** Label sets of the series matching `match` in [start, end]. */
    async series(match, start, end) {
      return call(base, '/api/v1/series', { 'match[]': match, start, end });
    },
    /** Active alerts of the loaded rules. */
    async alerts() {
      const response = await fetch(`${base}/api/v1/alerts`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      return (await response.json()).data.alerts;
    },
    /** Loaded rule groups. */
    async rules() {
      const response = await fetch(`${base}/api/v1/rules`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      return (await response.json()).data.groups;
    },
  };
}

/** Grafana's `label_values(metric{matchers}, label)`: distinct values among matching series in the range. */
export async function labelValues(api, definition, start, end) {
  const m = /^label_values\((.+),\s*(\w+)\)$/.exec(definition.trim());
  if (!m) throw new Error(`not a label_values query: ${definition}`);
  const series = await api.series(m[1], start, end);
  return [...new Set(series.map((s) => s[m[2]]).filter((v) => v !== undefined))].sort();
}
