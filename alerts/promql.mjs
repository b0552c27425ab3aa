/**
 * PromQL building blocks shared by the alert rules (alerts/render.mjs) and the
 * Grafana dashboard (dashboards/render.mjs), so both count invocations the
 * same way.
 *
 * Why not increase()/rate(): cmdtel's series come out of the collector's
 * delta-to-cumulative conversion. A series is born at its first value (1, not
 * 0), and it only gets a new sample when someone runs that command, which for
 * a rare command can be hours later. increase() ignores the increment that
 * created a series, needs two samples *inside* its window (so a command run
 * once in the window counts as nothing), and extrapolates to the window edges
 * (so counts come out as 1.1666...). On CLI traffic that is most of the data.
 *
 * exactIncrease() counts, per series, the increments that landed in the window
 * (t-W, t] without extrapolation:
 *
 *   (last value inside the window - last value before it, looking back H) >= 0
 *   or  last value inside the window + 0      (series born in the window,
 *                                              or reset by a collector restart)
 *
 * H, the state horizon, must match how long the collector remembers an idle
 * series (delta_to_cumulative `max_stale`): within H a silent series keeps its
 * running total, after H the collector starts it again from the next delta.
 * docs/dashboards.md discusses the trade-offs.
 */

const UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Seconds in a Prometheus duration such as `90s`, `15m`, `1h30m`. Throws on anything else. */
export function parseDuration(text) {
  const source = String(text).trim();
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let seconds = 0;
  let matched = 0;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    seconds += Number(m[1]) * UNIT_SECONDS[m[2]];
    matched = re.lastIndex;
  }
  if (source === '' || matched !== source.length) throw new Error(`not a Prometheus duration: ${JSON.stringify(text)}`);
  return seconds;
}

/** The shortest single-unit Prometheus duration for a whole number of seconds (3900 → `65m`). */
export function formatDuration(seconds) {
  if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`not a whole number of seconds: ${seconds}`);
  if (seconds === 0) return '0s';
  for (const unit of ['w', 'd', 'h', 'm']) {
    if (seconds % UNIT_SECONDS[unit] === 0) return `${seconds / UNIT_SECONDS[unit]}${unit}`;
  }
  return `${seconds}s`;
}

/** A selector `metric{a="b", c=~"d"}` from a metric name and a list of matcher strings. */
export function selector(metric, matchers = []) {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(', ')}}`;
}

/**
 * The number of increments per series in the window (t - window - offset, t - offset].
 *
 * `window` and `horizon` are durations: Prometheus strings (`15m`) or, when an
 * offset is given, anything parseDuration accepts; Grafana variables such as
 * `$__interval` are passed through untouched when there is no offset.
 */
export function exactIncrease(sel, { window, horizon, offset }) {
  let inWindow;
  let before;
  if (offset === undefined) {
    inWindow = `${sel}[${window}]`;
    before = `${sel}[${horizon}] offset ${window}`;
  } else {
    const offsetSeconds = parseDuration(offset);
    inWindow = `${sel}[${window}] offset ${formatDuration(offsetSeconds)}`;
    before = `${sel}[${horizon}] offset ${formatDuration(offsetSeconds + parseDuration(window))}`;
  }
  // `a - b >= 0 or c + 0` parses as `((a - b) >= 0) or (c + 0)`. The `+ 0` drops the
  // metric name, as the subtraction does on the other branch: a series then has one label set
  // whichever branch it takes, which subqueries over this expression require.
  return `(\n  last_over_time(${inWindow}) - last_over_time(${before}) >= 0\n  or last_over_time(${inWindow}) + 0\n)`;
}

/**
 * The recording rules' output: per source series, the exact increase over one recording interval
 * (alerts/render.mjs, group `cmdtel-recording`). Summing their samples over any window gives the
 * exact count in that window, whatever restarts happened inside it, so the dashboard reads
 * `sum_over_time(cmdtel:invocations:exact_increase{…}[$__range])` instead of the formula.
 */
export const RECORDED = Object.freeze({
  cli_command_invocations_total: 'cmdtel:invocations:exact_increase',
  cli_command_duration_seconds_bucket: 'cmdtel:duration_bucket:exact_increase',
  cli_command_duration_seconds_sum: 'cmdtel:duration_sum:exact_increase',
  cli_command_duration_seconds_count: 'cmdtel:duration_count:exact_increase',
});

/** The exact count per series in a window, from the recorded increases: `sum_over_time(rec{…}[window])`. */
export function recordedIncrease(metric, matchers, window) {
  const name = RECORDED[metric];
  if (!name) throw new Error(`no recording rule for ${metric}`);
  return `sum_over_time(${selector(name, matchers)}[${window}])`;
}

/** `sum by (labels) (expr)`, or `sum(expr)` without labels; a parenthesised expr is not wrapped again. */
export function sumBy(labels, expr) {
  const body = expr.startsWith('(') && expr.endsWith(')') ? expr : `(${expr})`;
  return labels.length === 0 ? `sum${body}` : `sum by (${labels.join(', ')}) ${body}`;
}
