#!/usr/bin/env node
/**
 * Builds the Grafana dashboard dashboards/grafana/cmdtel.json (classic JSON
 * model, import-ready).
 *
 *   node dashboards/render.mjs           # rewrite the JSON
 *   node dashboards/render.mjs --check   # exit 1 when the JSON is out of date
 *
 * Generated rather than hand-edited so every panel counts invocations with the
 * same exact-count formula as the alert rules (alerts/promql.mjs); a query typed
 * into Grafana's editor tends to drift back to increase(). The committed JSON
 * is what users import; test/e2e/dashboards.test.js runs every query in it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exactIncrease, recordedIncrease, selector, sumBy } from '../alerts/promql.mjs';
import { loadParams } from '../alerts/render.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The dashboard that reads the recording rules (Prometheus, or anything that runs rule files). */
export const DASHBOARD_FILE = join(HERE, 'grafana', 'cmdtel.json');
/** The same panels with the exact-count formula spelled out, for backends without recording rules (SLS). */
export const RAW_DASHBOARD_FILE = join(HERE, 'grafana', 'cmdtel-raw.json');
/** Both variants: file → counting. */
export const DASHBOARDS = Object.freeze({ [DASHBOARD_FILE]: 'recorded', [RAW_DASHBOARD_FILE]: 'raw' });
/** The Grafana dashboard schema version the JSON is written for (@grafana/schema's current one; the type-check test pins it). */
export const SCHEMA_VERSION = 42;

const INVOCATIONS = 'cli_command_invocations_total';
const BUCKET = 'cli_command_duration_seconds_bucket';
const SUM = 'cli_command_duration_seconds_sum';
const COUNT = 'cli_command_duration_seconds_count';
const DS = { type: 'prometheus', uid: '${datasource}' };

/**
 * The dashboard filters: the one selector every query applies (add a filter here, re-render, and
 * every panel has it). `.*` (All) also matches a missing label.
 */
const FILTERS = [
  'service_name=~"$service"',
  'cli_command=~"$command"',
  'cli_channel=~"$channel"',
  'service_version=~"$version"',
  'os_type=~"$os"',
  'cli_caller_type=~"$caller"',
];
const COMMAND = ['service_name', 'cli_command', 'cli_subcommand'];

/**
 * How a panel counts the invocations per series in a window, exactly.
 *
 * `recorded` (cmdtel.json) reads the recording rules of alerts/cmdtel.rules.yml: each recorded
 * sample is one interval's exact increase, so a window's count is their sum, and restarts inside a
 * long range are already handled interval by interval.
 *
 * `raw` (cmdtel-raw.json, for backends without recording rules such as an SLS Metricstore) spells
 * the formula out (alerts/promql.mjs). `$__range` is special there: a long range can hold a series
 * that went idle past the horizon and restarted from 1, which one window over the whole range would
 * see as a single drop. So the range is cut into `$__interval` pieces, each counted on its own and
 * summed (the same pieces the time-series panels plot, so the totals agree).
 */
const COUNTING = {
  recorded: (metric, extra, window) => recordedIncrease(metric, [...FILTERS, ...extra], window),
  raw: (metric, extra, window) => {
    const count = (w) => exactIncrease(selector(metric, [...FILTERS, ...extra]), { window: w, horizon: '$horizon' });
    return window === '$__range' ? `sum_over_time(${count('$__interval')}[$__range:$__interval])` : count(window);
  },
};

let nextId = 1;
const target = (refId, expr, { legend = '', instant = false, table = false } = {}) => ({
  datasource: DS,
  refId,
  expr,
  legendFormat: legend,
  range: !instant,
  instant,
  format: table ? 'table' : 'time_series',
  editorMode: 'code',
});

let minInterval = '1m';
function panel(type, title, description, gridPos, targets, fieldConfig, options = {}, extra = {}) {
  // A floor on $__interval, the recording interval: each point (and each piece of a range total)
  // then holds whole recorded intervals, and ranges stay cheap to evaluate.
  return { id: nextId++, type, title, description, datasource: DS, gridPos, interval: minInterval, targets, fieldConfig, options, ...extra };
}

const defaults = (unit, more = {}) => ({ defaults: { unit, ...more }, overrides: [] });
const statOptions = { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'none', textMode: 'value' };
const seriesOptions = {
  legend: { showLegend: true, displayMode: 'table', placement: 'right', calcs: ['max', 'mean'] },
  tooltip: { mode: 'multi', sort: 'desc' },
};
const series = (unit, { stacked = false, percent = false, decimals } = {}) => ({
  defaults: {
    unit,
    ...(decimals === undefined ? {} : { decimals }),
    min: 0,
    custom: {
      drawStyle: 'line',
      lineInterpolation: 'stepAfter',
      fillOpacity: stacked ? 40 : 10,
      showPoints: 'auto',
      spanNulls: false,
      stacking: { mode: percent ? 'percent' : stacked ? 'normal' : 'none', group: 'A' },
    },
  },
  overrides: [],
});

/** Table columns: rename `Value #X`, set a unit per column, hide the time stamp. */
function tableConfig(columns, sortBy) {
  const renameByName = {};
  const overrides = [];
  for (const [refId, { name, unit, decimals }] of Object.entries(columns)) {
    renameByName[`Value #${refId}`] = name;
    overrides.push({
      matcher: { id: 'byName', options: name },
      properties: [{ id: 'unit', value: unit }, ...(decimals === undefined ? [] : [{ id: 'decimals', value: decimals }])],
    });
  }
  return {
    fieldConfig: { defaults: { unit: 'short' }, overrides },
    transformations: [
      { id: 'merge', options: {} },
      { id: 'organize', options: { excludeByName: { Time: true }, renameByName } },
      { id: 'sortBy', options: { sort: [{ field: sortBy, desc: true }] } },
      { id: 'limit', options: { limitField: 25 } },
    ],
  };
}

/** The panels, counting with `n(metric, extraMatchers, window)`. */
function panels(n) {
  nextId = 1;
  const total = (labels, window, extra = []) => sumBy(labels, n(INVOCATIONS, extra, window));
  const errors = (labels, window) => total(labels, window, ['cli_outcome="error"']);
  const quantile = (q, labels, window) => `histogram_quantile(${q}, ${sumBy([...labels, 'le'], n(BUCKET, [], window))})`;
  const PER_MINUTE = '($__interval_ms / 60000)';
  /** Error share: 0 (not a gap) where there was traffic but no error, nothing (not 0/0) where there was none. */
  const errorShare = (labels, window) => {
    const zero = labels.length === 0 ? 'vector(0)' : `${total(labels, window)} * 0`;
    return `(${errors(labels, window)} or ${zero})\n/\n(${total(labels, window)} > 0)`;
  };
  const R = '$__range';
  const I = '$__interval';
  const list = [];
  const row = (title, y) => list.push({ id: nextId++, type: 'row', title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });

  row('Overview (selected time range)', 0);
  list.push(
    panel(
      'stat',
      'Invocations',
      'Every CLI run in the selected time range that reached Prometheus, counted exactly (no extrapolation).',
      { h: 4, w: 6, x: 0, y: 1 },
      [target('A', total([], R), { instant: true })],
      defaults('short', { decimals: 0 }),
      statOptions,
    ),
    panel(
      'stat',
      'Error rate',
      'Share of invocations with outcome "error" in the selected time range. Cancelled runs (Ctrl-C, exit 130) are not errors.',
      { h: 4, w: 6, x: 6, y: 1 },
      [target('A', errorShare([], R), { instant: true })],
      defaults('percentunit', {
        decimals: 2,
        thresholds: {
          mode: 'absolute',
          steps: [
            { color: 'green', value: null },
            { color: 'red', value: 0.05 },
          ],
        },
      }),
      { ...statOptions, colorMode: 'background' },
    ),
    panel(
      'stat',
      'p99 latency',
      'Wall time under which 99 % of the invocations in the selected time range finished (from the duration histogram; exact at bucket edges, interpolated inside a bucket).',
      { h: 4, w: 6, x: 12, y: 1 },
      [target('A', quantile(0.99, [], R), { instant: true })],
      defaults('s', {
        decimals: 2,
        thresholds: {
          mode: 'absolute',
          steps: [
            { color: 'green', value: null },
            { color: 'red', value: 3 },
          ],
        },
      }),
      { ...statOptions, colorMode: 'background' },
    ),
    panel(
      'stat',
      'Commands used',
      'Distinct command/subcommand pairs run in the selected time range.',
      { h: 4, w: 6, x: 18, y: 1 },
      [target('A', `count(${total(COMMAND, R)})`, { instant: true })],
      defaults('short', { decimals: 0 }),
      statOptions,
    ),
  );

  row('Traffic and errors', 5);
  list.push(
    panel(
      'timeseries',
      'Invocations per minute',
      "Invocations per minute by outcome, averaged over each point's interval. Every run is counted once, in the interval its data point arrived in.",
      { h: 8, w: 12, x: 0, y: 6 },
      [target('A', `${total(['cli_outcome'], I)}\n/ ${PER_MINUTE}`, { legend: '{{cli_outcome}}' })],
      series('cpm', { stacked: true }),
      seriesOptions,
    ),
    panel(
      'timeseries',
      'Invocations per minute by command',
      'Invocations per minute for each command and subcommand.',
      { h: 8, w: 12, x: 12, y: 6 },
      [target('A', `${total(COMMAND, I)}\n/ ${PER_MINUTE}`, { legend: '{{service_name}} {{cli_command}} {{cli_subcommand}}' })],
      series('cpm', { stacked: true }),
      seriesOptions,
    ),
    panel(
      'timeseries',
      'Error rate over time',
      'Share of invocations with outcome "error" in each interval; 0 where there was traffic and no error, a gap where there was no traffic. The alert CmdtelErrorRateHigh uses the same ratio over its own window.',
      { h: 8, w: 12, x: 0, y: 14 },
      [target('A', errorShare([], I), { legend: 'error rate' })],
      series('percentunit', { decimals: 1 }),
      seriesOptions,
    ),
    panel(
      'timeseries',
      'Error rate by command',
      "Share of each command's invocations that failed, per interval.",
      { h: 8, w: 12, x: 12, y: 14 },
      [target('A', errorShare(COMMAND, I), { legend: '{{service_name}} {{cli_command}} {{cli_subcommand}}' })],
      series('percentunit', { decimals: 1 }),
      seriesOptions,
    ),
  );

  row('Latency', 22);
  list.push(
    panel(
      'timeseries',
      'Latency by command (p50 / p95 / p99)',
      'Quantiles of the invocation wall time per command and subcommand, per interval, from the duration histogram (buckets 5 ms … 300 s; values inside a bucket are interpolated).',
      { h: 9, w: 24, x: 0, y: 23 },
      [
        target('A', quantile(0.5, COMMAND, I), { legend: 'p50 {{cli_command}} {{cli_subcommand}}' }),
        target('B', quantile(0.95, COMMAND, I), { legend: 'p95 {{cli_command}} {{cli_subcommand}}' }),
        target('C', quantile(0.99, COMMAND, I), { legend: 'p99 {{cli_command}} {{cli_subcommand}}' }),
      ],
      series('s'),
      seriesOptions,
    ),
  );
  const slowLabels = [...COMMAND, 'process_exit_code'];
  const slow = tableConfig(
    {
      A: { name: 'Calls', unit: 'short', decimals: 0 },
      B: { name: 'Mean', unit: 's' },
      C: { name: 'p50', unit: 's' },
      D: { name: 'p95', unit: 's' },
      E: { name: 'p99', unit: 's' },
    },
    'p99',
  );
  list.push(
    panel(
      'table',
      'Slowest commands',
      'Commands by p99 wall time over the selected time range, split by exit code (a fast failure and a slow success are different stories). Top 25.',
      { h: 9, w: 24, x: 0, y: 32 },
      [
        target('A', sumBy(slowLabels, n(COUNT, [], R)), { instant: true, table: true }),
        target('B', `${sumBy(slowLabels, n(SUM, [], R))}\n/\n${sumBy(slowLabels, n(COUNT, [], R))}`, { instant: true, table: true }),
        target('C', quantile(0.5, slowLabels, R), { instant: true, table: true }),
        target('D', quantile(0.95, slowLabels, R), { instant: true, table: true }),
        target('E', quantile(0.99, slowLabels, R), { instant: true, table: true }),
      ],
      slow.fieldConfig,
      { showHeader: true },
      { transformations: slow.transformations },
    ),
  );

  row('Failures', 41);
  const failLabels = [...COMMAND, 'process_exit_code', 'error_type'];
  const fail = tableConfig(
    { A: { name: 'Errors', unit: 'short', decimals: 0 }, B: { name: "Share of the command's calls", unit: 'percentunit', decimals: 1 } },
    'Errors',
  );
  list.push(
    panel(
      'table',
      'Most-failing commands',
      "Failed invocations over the selected time range by command, exit code and error type, with the share of that command's calls they make up. Top 25.",
      { h: 9, w: 24, x: 0, y: 42 },
      [
        target('A', errors(failLabels, R), { instant: true, table: true }),
        target('B', `${errors(failLabels, R)}\n/ on (${COMMAND.join(', ')}) group_left\n${total(COMMAND, R)}`, { instant: true, table: true }),
      ],
      fail.fieldConfig,
      { showHeader: true },
      { transformations: fail.transformations },
    ),
  );

  row('Adoption', 51);
  list.push(
    panel(
      'timeseries',
      'Version adoption',
      'Share of invocations per CLI version in each interval (stacked to 100 %).',
      { h: 8, w: 12, x: 0, y: 52 },
      [target('A', `${total(['service_version'], I)}\n/ on () group_left ()\n(${total([], I)} > 0)`, { legend: '{{service_version}}' })],
      series('percentunit', { stacked: true }),
      seriesOptions,
    ),
    panel(
      'bargauge',
      'Invocations by version',
      'Share of the invocations in the selected time range per CLI version.',
      { h: 8, w: 12, x: 12, y: 52 },
      [target('A', `${total(['service_version'], R)}\n/ on () group_left ()\n(${total([], R)} > 0)`, { instant: true, legend: '{{service_version}}' })],
      defaults('percentunit', { decimals: 1, min: 0, max: 1 }),
      { orientation: 'horizontal', displayMode: 'gradient', reduceOptions: { calcs: ['lastNotNull'], values: false } },
    ),
    panel(
      'piechart',
      'Operating systems',
      'Invocations in the selected time range per operating system (os.type).',
      { h: 8, w: 12, x: 0, y: 60 },
      [target('A', total(['os_type'], R), { instant: true, legend: '{{os_type}}' })],
      defaults('short', { decimals: 0 }),
      {
        legend: { showLegend: true, displayMode: 'table', placement: 'right', calcs: [], values: ['value', 'percent'] },
        pieType: 'donut',
        reduceOptions: { calcs: ['lastNotNull'], values: false },
      },
    ),
    panel(
      'piechart',
      'Channels',
      'Invocations in the selected time range per distribution channel (<PREFIX>_CHANNEL); runs without a channel show as "(none)".',
      { h: 8, w: 12, x: 12, y: 60 },
      [
        target('A', `label_replace(\n${total(['cli_channel'], R)},\n"cli_channel", "(none)", "cli_channel", ""\n)`, {
          instant: true,
          legend: '{{cli_channel}}',
        }),
      ],
      defaults('short', { decimals: 0 }),
      {
        legend: { showLegend: true, displayMode: 'table', placement: 'right', calcs: [], values: ['value', 'percent'] },
        pieType: 'donut',
        reduceOptions: { calcs: ['lastNotNull'], values: false },
      },
    ),
  );

  // Who runs it (cli.caller.type / cli.caller.name): runs without the dimension (a CLI that turned it
  // off, or an older cmdtel) show as "(not recorded)" rather than as an empty legend.
  const CALLER = ['cli_caller_type', 'cli_caller_name'];
  const notRecorded = (expr) => `label_replace(\n${expr},\n"cli_caller_type", "(not recorded)", "cli_caller_type", ""\n)`;
  row('Who runs it', 68);
  list.push(
    panel(
      'bargauge',
      'Share of runs by caller',
      'Share of the invocations in the selected time range by who ran them: an AI agent (by name), a CI service (by vendor), a person at a terminal, or a script. An agent working inside CI counts as the agent (docs/attributes.md).',
      { h: 8, w: 12, x: 0, y: 69 },
      [
        target('A', notRecorded(`${total(CALLER, R)}\n/ on () group_left ()\n(${total([], R)} > 0)`), {
          instant: true,
          legend: '{{cli_caller_type}} {{cli_caller_name}}',
        }),
      ],
      defaults('percentunit', { decimals: 1, min: 0, max: 1 }),
      { orientation: 'horizontal', displayMode: 'gradient', reduceOptions: { calcs: ['lastNotNull'], values: false } },
    ),
    panel(
      'timeseries',
      'Runs by kind of caller',
      'Share of invocations per kind of caller (agent, ci, person, script) in each interval (stacked to 100 %).',
      { h: 8, w: 12, x: 12, y: 69 },
      [target('A', notRecorded(`${total(['cli_caller_type'], I)}\n/ on () group_left ()\n(${total([], I)} > 0)`), { legend: '{{cli_caller_type}}' })],
      series('percentunit', { stacked: true }),
      seriesOptions,
    ),
  );
  return list;
}

function queryVariable(name, label, labelName, description) {
  const scope = name === 'service' ? INVOCATIONS : `${INVOCATIONS}{service_name=~"$service"}`;
  const query = `label_values(${scope}, ${labelName})`;
  return {
    name,
    label,
    description,
    type: 'query',
    datasource: DS,
    query: { qryType: 1, query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    refresh: 2,
    multi: true,
    includeAll: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [],
    regex: '',
    sort: 1,
    hide: 0,
  };
}

/**
 * The whole dashboard model.
 * @param {'recorded'|'raw'} counting recorded: reads the recording rules; raw: the formula inline
 */
export function buildDashboard(counting = 'recorded') {
  if (!Object.hasOwn(COUNTING, counting)) throw new Error(`unknown counting ${counting}`);
  const params = loadParams();
  // The same state horizon as the alert rules: one value, in alerts/params.json.
  const horizon = params.stateHorizon;
  minInterval = params.recording.interval;
  const raw = counting === 'raw';
  const horizonVariable = {
    name: 'horizon',
    label: 'State horizon',
    description:
      "How long the collector keeps an idle series' running total (delta_to_cumulative max_stale). Rendered from stateHorizon in alerts/params.json; see docs/dashboards.md.",
    type: 'constant',
    query: horizon,
    current: { selected: false, text: horizon, value: horizon },
    options: [{ selected: true, text: horizon, value: horizon }],
    hide: 2,
    skipUrlSync: true,
  };
  return {
    __inputs: [
      {
        name: 'DS_PROMETHEUS',
        label: 'Prometheus',
        description: 'The Prometheus (or PromQL-compatible, e.g. an SLS Metricstore) data source that receives cmdtel metrics from the collector.',
        type: 'datasource',
        pluginId: 'prometheus',
        pluginName: 'Prometheus',
      },
    ],
    __elements: {},
    __requires: [
      { type: 'grafana', id: 'grafana', name: 'Grafana', version: '10.0.0' },
      { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
      { type: 'panel', id: 'stat', name: 'Stat', version: '' },
      { type: 'panel', id: 'timeseries', name: 'Time series', version: '' },
      { type: 'panel', id: 'table', name: 'Table', version: '' },
      { type: 'panel', id: 'bargauge', name: 'Bar gauge', version: '' },
      { type: 'panel', id: 'piechart', name: 'Pie chart', version: '' },
    ],
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    description: raw
      ? 'CLI invocations recorded by cmdtel: volume, errors, latency, versions, OS, channels and who runs them. Every count is exact per interval, computed inline (no recording rules needed, e.g. an SLS Metricstore); see docs/dashboards.md.'
      : 'CLI invocations recorded by cmdtel: volume, errors, latency, versions, OS, channels and who runs them. Every count is exact per interval; reads the recording rules of cmdtel.rules.yml (see docs/dashboards.md).',
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    id: null,
    links: [],
    panels: panels(COUNTING[counting]),
    refresh: '1m',
    schemaVersion: SCHEMA_VERSION,
    tags: ['cmdtel', 'cli', 'opentelemetry'],
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Data source',
          description: 'Prometheus data source holding cmdtel metrics.',
          type: 'datasource',
          query: 'prometheus',
          current: { selected: false, text: '${DS_PROMETHEUS}', value: '${DS_PROMETHEUS}' },
          refresh: 1,
          regex: '',
          hide: 0,
          includeAll: false,
          multi: false,
          options: [],
        },
        queryVariable('service', 'Service', 'service_name', 'The CLI (service.name).'),
        queryVariable('command', 'Command', 'cli_command', 'Top-level command (cli.command).'),
        queryVariable('channel', 'Channel', 'cli_channel', 'Distribution channel (cli.channel); All includes runs without one.'),
        queryVariable('version', 'Version', 'service_version', 'CLI version (service.version).'),
        queryVariable('os', 'OS', 'os_type', 'Operating system (os.type).'),
        queryVariable(
          'caller',
          'Caller',
          'cli_caller_type',
          'Who runs it (cli.caller.type): agent, ci, person or script; All includes runs without the dimension.',
        ),
        ...(raw ? [horizonVariable] : []),
      ],
    },
    time: { from: 'now-6h', to: 'now' },
    timepicker: {},
    timezone: '',
    title: raw ? 'cmdtel: CLI invocations (no recording rules)' : 'cmdtel: CLI invocations',
    uid: raw ? 'cmdtel-cli-invocations-raw' : 'cmdtel-cli-invocations',
    version: 1,
    weekStart: '',
  };
}

/** A dashboard variant as the committed JSON text. */
export function renderDashboard(counting = 'recorded') {
  return `${JSON.stringify(buildDashboard(counting), null, 2)}\n`;
}

function main(argv) {
  for (const [file, counting] of Object.entries(DASHBOARDS)) {
    const text = renderDashboard(counting);
    if (argv.includes('--check')) {
      let current = '';
      try {
        current = readFileSync(file, 'utf8');
      } catch {
        // missing counts as out of date
      }
      if (current !== text) {
        process.stderr.write(`${file} is out of date: run node dashboards/render.mjs\n`);
        process.exitCode = 1;
      }
    } else {
      writeFileSync(file, text);
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
