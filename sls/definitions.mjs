/**
 * The SLS dashboard and the four SLS alert rules, as the bodies of the SLS OpenAPI calls
 * (CreateDashboard / UpdateDashboard, CreateAlert / UpdateAlert, API version 2020-12-30).
 *
 * Generated from the same source as the Grafana dashboard and the Prometheus rules: the exact-count
 * formula of alerts/promql.mjs, the alert expressions, thresholds, windows and texts of
 * alerts/render.mjs, all from alerts/params.json. A Metricstore runs no recording rules, so every
 * query spells the formula out (as dashboards/grafana/cmdtel-raw.json does). It also avoids
 * subqueries: time charts count each step's own minute, summaries count the last hour in one window
 * (the window equals the state horizon, so no series can expire and restart inside it).
 *
 * Pure functions, no SDK: sls/apply.mjs sends these, sls/terraform.mjs writes them as a module.
 */
import { exactIncrease, parseDuration, selector, sumBy } from '../alerts/promql.mjs';
import { alertExpressions, alertMeta } from '../alerts/render.mjs';

const INVOCATIONS = 'cli_command_invocations_total';
const BUCKET = 'cli_command_duration_seconds_bucket';
const COMMAND = ['service_name', 'cli_command', 'cli_subcommand'];
const COMMAND_LEGEND = '{{service_name}} {{cli_command}} {{cli_subcommand}}';

/** The SLS alert names (lowercase, as SLS wants them) of the four Prometheus alerts. */
export const ALERT_NAMES = Object.freeze({
  CmdtelErrorRateHigh: 'cmdtel-error-rate-high',
  CmdtelLatencyHigh: 'cmdtel-latency-high',
  CmdtelCommandFailing: 'cmdtel-command-failing',
  CmdtelNoInvocations: 'cmdtel-no-invocations',
});

/** Prometheus severity label → SLS severity (2 report, 4 low, 6 medium, 8 high, 10 critical). */
const SLS_SEVERITY = { critical: 10, high: 8, warning: 6, medium: 6, low: 4, info: 2, report: 2 };

/** The default dashboard name (the dashboard's id within the project). */
export const DEFAULT_DASHBOARD_NAME = 'cmdtel-cli-invocations';

/**
 * The queries of the SLS dashboard, chart by chart: what the Grafana dashboard's key panels show.
 * @param {object} params alerts/params.json
 * @returns {{title: string, type: string, span: 'minute'|'hour', layout: number[], queries: {query: string, legend: string}[]}[]}
 */
export function dashboardCharts(params) {
  const horizon = params.stateHorizon;
  const count = (metric, matchers, window) => exactIncrease(selector(metric, matchers), { window, horizon });
  const total = (labels, window, matchers = []) => sumBy(labels, count(INVOCATIONS, matchers, window));
  const errors = (labels, window) => total(labels, window, ['cli_outcome="error"']);
  const quantile = (q, labels, window) => `histogram_quantile(${q}, ${sumBy([...labels, 'le'], count(BUCKET, [], window))})`;
  const share = (window) => `(${errors([], window)} or vector(0))\n/\n(${total([], window)} > 0)`;
  const M = '1m';
  const H = horizon; // the summaries' window: one state horizon, no restart can hide inside it
  // layout: [xPos, yPos, width, height] on SLS's 24-column grid
  return [
    { title: 'Invocations, last hour', type: 'statpro', span: 'hour', layout: [0, 0, 6, 4], queries: [{ query: total([], H), legend: 'invocations' }] },
    { title: 'Error rate, last hour', type: 'statpro', span: 'hour', layout: [6, 0, 6, 4], queries: [{ query: share(H), legend: 'error rate' }] },
    { title: 'p99 latency, last hour', type: 'statpro', span: 'hour', layout: [12, 0, 6, 4], queries: [{ query: quantile(0.99, [], H), legend: 'p99 (s)' }] },
    {
      title: 'Commands used, last hour',
      type: 'statpro',
      span: 'hour',
      layout: [18, 0, 6, 4],
      queries: [{ query: `count(${total(COMMAND, H)})`, legend: 'commands' }],
    },
    {
      title: 'Invocations per minute',
      type: 'linepro',
      span: 'minute',
      layout: [0, 4, 12, 8],
      queries: [{ query: total(['cli_outcome'], M), legend: '{{cli_outcome}}' }],
    },
    {
      title: 'Invocations per minute by command',
      type: 'linepro',
      span: 'minute',
      layout: [12, 4, 12, 8],
      queries: [{ query: total(COMMAND, M), legend: COMMAND_LEGEND }],
    },
    { title: 'Error rate per minute', type: 'linepro', span: 'minute', layout: [0, 12, 12, 8], queries: [{ query: share(M), legend: 'error rate' }] },
    {
      title: 'Latency by command (p50 / p95 / p99), per minute',
      type: 'linepro',
      span: 'minute',
      layout: [12, 12, 12, 8],
      queries: [0.5, 0.95, 0.99].map((q) => ({ query: quantile(q, COMMAND, M), legend: `p${q * 100} ${COMMAND_LEGEND}` })),
    },
    {
      title: 'Most-failing commands, last hour',
      type: 'tablepro',
      span: 'hour',
      layout: [0, 20, 12, 8],
      queries: [
        {
          query: `sort_desc(${errors([...COMMAND, 'process_exit_code', 'error_type'], H)})`,
          legend: `${COMMAND_LEGEND} exit {{process_exit_code}} {{error_type}}`,
        },
      ],
    },
    {
      title: 'Invocations by version, last hour',
      type: 'piepro',
      span: 'hour',
      layout: [12, 20, 6, 8],
      queries: [{ query: total(['service_version'], H), legend: '{{service_version}}' }],
    },
    {
      title: 'Operating systems, last hour',
      type: 'piepro',
      span: 'hour',
      layout: [18, 20, 6, 8],
      queries: [{ query: total(['os_type'], H), legend: '{{os_type}}' }],
    },
  ];
}

/**
 * The CreateDashboard body (UpdateDashboard takes the same fields).
 * @param {object} params alerts/params.json
 * @param {{project: string, metricstore: string, dashboardName?: string}} target
 */
export function dashboardBody(params, { project, metricstore, dashboardName = DEFAULT_DASHBOARD_NAME }) {
  const charts = dashboardCharts(params).map((chart) => {
    const [xPos, yPos, width, height] = chart.layout;
    const hourly = chart.span === 'hour';
    return {
      title: chart.title,
      type: chart.type,
      action: {},
      search: {
        logstore: metricstore,
        topic: '',
        query: '',
        start: hourly ? '-3600s' : '-21600s',
        end: 'now',
        chartQueries: chart.queries.map(({ query, legend }, i) => ({
          name: String.fromCharCode(65 + i),
          datasource: 'metricstore',
          project,
          logstore: metricstore,
          query,
          tokenQuery: query,
          legendFormat: legend,
          interval: '60s',
          limit: 10000,
        })),
      },
      display: { xPos, yPos, width, height, displayName: chart.title },
    };
  });
  return {
    dashboardName,
    displayName: 'cmdtel: CLI invocations',
    description: 'CLI invocations recorded by cmdtel, counted exactly (generated from alerts/params.json; see docs/sls.md).',
    attribute: { type: 'grid' },
    charts,
  };
}

/** A Prometheus alert template (`{{ $labels.x }}`, `{{ $value | fn }}`) in SLS's template syntax (`${labels.x}`, `${value}`). */
export function slsTemplate(text) {
  return text.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, '${labels.$1}').replace(/\{\{\s*\$value(?:\s*\|\s*\w+)?\s*\}\}/g, '${value}');
}

/**
 * The four CreateAlert bodies (UpdateAlert takes the same fields but `name`).
 * @param {object} params alerts/params.json
 * @param {{project: string, metricstore: string, region: string, dashboardName?: string, actionPolicyId?: string}} target
 */
export function alertBodies(params, { project, metricstore, region, dashboardName = DEFAULT_DASHBOARD_NAME, actionPolicyId = '' }) {
  const expressions = alertExpressions(params);
  const meta = alertMeta(params);
  const interval = params.evaluationInterval;
  return Object.entries(expressions).map(([alert, query]) => {
    const m = meta[alert];
    const severity = SLS_SEVERITY[m.severity];
    if (severity === undefined)
      throw new Error(`params: severity ${JSON.stringify(m.severity)} has no SLS equivalent (${Object.keys(SLS_SEVERITY).join(', ')})`);
    // Prometheus' `for` as consecutive evaluations that must match (at least one).
    const threshold = Math.max(1, Math.ceil(parseDuration(m.for) / parseDuration(interval)));
    return {
      name: ALERT_NAMES[alert],
      displayName: alert,
      description: slsTemplate(m.summary),
      schedule: { type: 'FixedRate', interval, runImmediately: false },
      configuration: {
        version: '2.0',
        type: 'default',
        dashboard: dashboardName,
        queryList: [
          {
            chartTitle: alert,
            storeType: 'metric',
            project,
            region,
            store: metricstore,
            // The windows are inside the expression; the query's own range only needs to hold one
            // evaluation, which SLS runs at its end.
            query,
            start: `-${parseDuration(interval)}s`,
            end: 'now',
            timeSpanType: 'Custom',
            powerSqlMode: 'disable',
          },
        ],
        // Each row (one CLI or one command) is its own alert, firing and recovering on its own.
        groupConfiguration: { type: 'labels_auto', fields: [] },
        joinConfigurations: [],
        severityConfigurations: [{ severity, evalCondition: { condition: '', countCondition: '__count__ > 0' } }],
        labels: [
          { key: 'severity', value: m.severity },
          { key: 'source', value: 'cmdtel' },
        ],
        annotations: [
          { key: 'title', value: slsTemplate(m.summary) },
          { key: 'desc', value: slsTemplate(m.description) },
        ],
        autoAnnotation: true,
        sendResolved: true,
        noDataFire: false,
        threshold,
        policyConfiguration: { alertPolicyId: 'sls.builtin.dynamic', actionPolicyId, repeatInterval: '1h' },
      },
    };
  });
}

/** The region of an SLS endpoint such as `cn-hangzhou.log.aliyuncs.com` or `cn-hangzhou-intranet.log.aliyuncs.com`. */
export function regionOfEndpoint(endpoint) {
  const m = /^(?:https?:\/\/)?([a-z0-9-]+?)(?:-intranet|-share)?\.log\.aliyuncs\.com\/?$/.exec(endpoint);
  return m ? m[1] : undefined;
}
