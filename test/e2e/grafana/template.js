// What Grafana (10.x/11.x, Prometheus data source) does to a panel query before
// sending it: pick $__interval from the time range, substitute the built-in and
// dashboard variables, align a range query's start/end to the step. Written from
// Grafana's public source (rangeutil.roundInterval, templateSrv.replace, the
// Prometheus data source's interpolateQueryExpr, and its backend's
// interpolateVariables/AlignTimeRange) so the e2e test runs
// the dashboard's queries as Grafana would, not as we wish it did.

/** Grafana's rangeutil.roundInterval: a raw interval in ms → a "nice" one. */
export function roundInterval(ms) {
  const table = [
    [15, 10],
    [35, 20],
    [75, 50],
    [150, 100],
    [350, 200],
    [750, 500],
    [1500, 1000],
    [3500, 2000],
    [7500, 5000],
    [12500, 10000],
    [17500, 15000],
    [25000, 20000],
    [45000, 30000],
    [90000, 60000],
    [210000, 120000],
    [450000, 300000],
    [1050000, 600000],
    [2100000, 1200000],
    [5400000, 1800000],
    [9000000, 3600000],
    [16200000, 7200000],
    [32400000, 10800000],
    [86400000, 21600000],
    [604800000, 86400000],
    [1814400000, 604800000],
    [3628800000, 2592000000],
  ];
  for (const [limit, value] of table) if (ms < limit) return value;
  return 31536000000;
}

const UNIT_MS = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000, w: 604800000, y: 31536000000 };

/** `1m` → 60000. */
export function intervalToMs(text) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/.exec(text);
  if (!m) throw new Error(`bad interval ${text}`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

/**
 * The panel's interval and step, as Grafana's Prometheus data source computes them:
 * range / maxDataPoints, rounded, floored at the panel's min interval.
 */
export function panelInterval({ fromMs, toMs, maxDataPoints, minInterval }) {
  let ms = roundInterval((toMs - fromMs) / maxDataPoints);
  const floor = minInterval ? intervalToMs(minInterval) : 0;
  if (ms < floor) ms = floor;
  // Prometheus data source: at most 11000 points per series, whole seconds.
  const rangeS = Math.ceil(toMs / 1000 - fromMs / 1000);
  let stepS = Math.max(ms / 1000, Math.ceil(rangeS / 11000));
  if (stepS < 1) stepS = 1;
  return { stepS, intervalMs: stepS * 1000 };
}

/** prometheus/datasource.ts prometheusRegularEscape. */
function regularEscape(value) {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\\\'");
}

/** prometheus/datasource.ts prometheusSpecialRegexEscape. */
function specialRegexEscape(value) {
  return value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
}

/**
 * Formats a dashboard variable's current value for a PromQL query:
 * All → its allValue (raw) or every option as a regex; multi → `(a|b)`.
 */
function formatVariable(variable) {
  const { value } = variable;
  const isAll = value === '$__all' || (Array.isArray(value) && value.length === 1 && value[0] === '$__all');
  if (isAll) {
    if (variable.allValue) return variable.allValue;
    const options = variable.options ?? [];
    return options.length === 1 ? specialRegexEscape(options[0]) : `(${options.map(specialRegexEscape).join('|')})`;
  }
  if (!variable.multi && !variable.includeAll) return regularEscape(Array.isArray(value) ? value[0] : value);
  const values = (Array.isArray(value) ? value : [value]).map(specialRegexEscape);
  return values.length === 1 ? values[0] : `(${values.join('|')})`;
}

const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;

/**
 * Substitutes a query as Grafana sends it.
 * @param {string} expr the panel target's expr
 * @param {object} o
 * @param {number} o.fromMs dashboard time range start
 * @param {number} o.toMs dashboard time range end
 * @param {number} o.intervalMs the panel's interval (panelInterval)
 * @param {Record<string, {value: string|string[], multi?: boolean, includeAll?: boolean, allValue?: string, options?: string[]}>} o.variables
 * @param {number} [o.scrapeIntervalS] the data source's scrape interval setting (Grafana default 15 s)
 */
export function interpolate(expr, { fromMs, toMs, intervalMs, variables, scrapeIntervalS = 15 }) {
  const intervalS = intervalMs / 1000;
  const rangeS = Math.round((toMs - fromMs) / 1000);
  const builtIn = {
    __interval: formatInterval(intervalMs),
    __interval_ms: String(intervalMs),
    __rate_interval: `${Math.max(intervalS + scrapeIntervalS, 4 * scrapeIntervalS)}s`,
    __range: `${rangeS}s`,
    __range_s: String(rangeS),
    __range_ms: String(toMs - fromMs),
  };
  return expr.replace(VARIABLE, (match, a, b, _bf, c) => {
    const name = a ?? b ?? c;
    if (Object.hasOwn(builtIn, name)) return builtIn[name];
    if (variables && Object.hasOwn(variables, name)) return formatVariable(variables[name]);
    return match; // Grafana leaves unknown variables alone
  });
}

/** Grafana's gtime.FormatInterval (truncates to the largest whole unit). */
export function formatInterval(ms) {
  for (const unit of ['y', 'd', 'h', 'm', 's', 'ms']) {
    if (ms >= UNIT_MS[unit]) return `${Math.floor(ms / UNIT_MS[unit])}${unit}`;
  }
  return '1ms';
}

/** prometheus/datasource.ts alignRange: start and end on multiples of the step. */
export function alignRange(fromMs, toMs, stepS) {
  const start = Math.floor(fromMs / 1000 / stepS) * stepS;
  const end = Math.floor(toMs / 1000 / stepS) * stepS;
  return { start, end };
}
