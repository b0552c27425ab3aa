// Every dashboard panel and every alert, proven on real data.
//
// The demo CLI (examples/notes) runs known traffic — known commands, a known error share, known
// durations (NOTES_SYNC_DELAY_MS) — through the real collector (gateway-prometheus) into a real
// Prometheus. Then:
//   - the recording rules (alerts/cmdtel.rules.yml, group cmdtel-recording, at a test pace) record
//     every run exactly once;
//   - every query of dashboards/grafana/cmdtel.json (reading the recording rules) and of
//     cmdtel-raw.json (the formula inline) runs with its variables substituted as Grafana would,
//     and returns what the traffic implies (counts, shares, quantiles; filters included);
//   - every alert expression of alerts/cmdtel.rules.yml is evaluated at chosen times: after a
//     healthy phase only the latency alert fires, after a failing phase the error-rate and
//     failing-command alerts join it, and five minutes after the last run only "no invocations"
//     is new;
//   - the rules, loaded into that Prometheus with `for: 0s`, show the same alerts on /api/v1/alerts;
//   - the key queries in docs/sls.md run and agree.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDuration } from '../../alerts/promql.mjs';
import { alertExpressions, loadParams, renderRules } from '../../alerts/render.mjs';
import { DASHBOARDS } from '../../dashboards/render.mjs';
import { RECORDED } from '../../alerts/promql.mjs';
import { ROOT, startCollector } from './harness/collector.js';
import { startPrometheus } from './harness/prometheus.js';
import { waitFor } from './harness/process.js';
import { alignRange, interpolate, panelInterval } from './grafana/template.js';
import { labelValues, prometheusApi } from './grafana/prometheus-api.js';

const TOKEN = 'e2e-dashboards-token';
const CLI = join(ROOT, 'examples', 'notes', 'cli.js');
const CONCURRENCY = 10;
const SLOW_MS = 3500; // sync push: between the 3 s and 5 s bucket edges
const QUICK_SYNC_MS = 150;
const PARAMS = loadParams();
const EPS = 1e-9;

// ---------------------------------------------------------------------------------------------
// The traffic. Each run says what the CLI must answer and what telemetry it must produce.

const ok = (command, subcommand) => ({ command, subcommand, exit: 0, outcome: 'ok' });
const err = (command, subcommand, exit, errorType) => ({ command, subcommand, exit, outcome: 'error', errorType });
const channelOf = (i) => ['stable', 'stable', 'beta', undefined][i % 4];
const times = (n, make) => Array.from({ length: n }, (_, i) => make(i));

/** Phase 1, healthy: 5 errors in 115 runs (4.35 %), sync push slow (p99 > 3 s). */
const HEALTHY = [
  ...times(40, (i) => ({ args: ['note', 'add', `shopping list ${i}`], channel: channelOf(i), expect: ok('note', 'add') })),
  ...times(40, (i) => ({ args: ['note', 'list'], channel: channelOf(i), expect: ok('note', 'list') })),
  ...times(3, () => ({ args: ['note', 'add'], channel: 'stable', expect: err('note', 'add', 2, 'validation') })),
  { args: ['note', 'rm', 'no-such-note'], channel: 'stable', expect: err('note', 'rm', 1, 'not_found') },
  ...times(20, () => ({
    args: ['sync', 'push'],
    channel: 'stable',
    env: { NOTES_TOKEN: 't', NOTES_SYNC_DELAY_MS: String(SLOW_MS) },
    expect: ok('sync', 'push'),
    slow: true,
  })),
  ...times(10, () => ({
    args: ['sync', 'pull'],
    channel: 'beta',
    env: { NOTES_TOKEN: 't', NOTES_SYNC_DELAY_MS: String(QUICK_SYNC_MS) },
    expect: ok('sync', 'pull'),
  })),
  { args: ['launch-rockets'], channel: undefined, expect: err('_unknown', undefined, 2, 'usage') },
];
/** Phase 2, sync pull loses its login: 15 auth failures; 20 errors in 140 runs overall (14.3 %). */
const FAILING = [
  ...times(15, () => ({
    args: ['sync', 'pull'],
    channel: 'stable',
    env: { NOTES_SYNC_DELAY_MS: String(QUICK_SYNC_MS) },
    expect: err('sync', 'pull', 3, 'auth'),
  })),
  ...times(10, () => ({ args: ['note', 'list'], channel: 'stable', expect: ok('note', 'list') })),
];
const ALL = [...HEALTHY, ...FAILING];
/** Who runs each run (cli.caller.*), by the environment an agent or a CI service sets; the rest are scripts (no terminal). */
const CALLERS = [
  { env: {}, kind: 'script' },
  { env: { AI_AGENT: 'claude-code_2.0.31_agent' }, kind: 'agent claude-code' },
  { env: { GITHUB_ACTIONS: 'true', CI: 'true' }, kind: 'ci github-actions' },
  { env: {}, kind: 'script' },
  { env: { CODEX_SANDBOX: 'seatbelt' }, kind: 'agent codex' },
];
ALL.forEach((run, i) => {
  run.caller = CALLERS[i % CALLERS.length];
});

const key = (...parts) => parts.map((p) => p ?? '').join(' ');
function tally(runs, by) {
  const counts = new Map();
  for (const run of runs) {
    const k = by(run);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}
const isError = (run) => run.expect.outcome === 'error';
const commandKey = (r) => key(r.expect.command, r.expect.subcommand);

// ---------------------------------------------------------------------------------------------

let prom;
let collector;
let api;
let work;
const marks = {}; // unix seconds: t0 before traffic, t1 after the healthy phase, t2 after the failing one

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'cmdtel-dash-'));
  prom = await startPrometheus({ extraArgs: ['--web.enable-lifecycle'] });
  api = prometheusApi(prom.url);
  collector = await startCollector({
    config: 'gateway-prometheus',
    env: {
      CMDTEL_COLLECTOR_TOKENS: `[${TOKEN}]`,
      CMDTEL_PROMETHEUS_RW_URL: prom.remoteWriteUrl,
      CMDTEL_FLUSH_INTERVAL: '2s',
      CMDTEL_SERIES_MAX_STALE: PARAMS.stateHorizon,
    },
  });
  await loadLiveRules();
});

after(async () => {
  await collector?.stop();
  await prom?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * The rules, rendered with `for: 0s` and a 30 s "no invocations" window so a test can watch them
 * change state, loaded into the running Prometheus (config rewritten, then /-/reload).
 */
async function loadLiveRules() {
  const live = structuredClone(PARAMS);
  live.evaluationInterval = '1s';
  for (const group of ['errorRate', 'latency', 'commandFailing', 'noInvocations']) live[group].for = '0s';
  live.noInvocations.window = '30s';
  live.noInvocations.baselineWindow = '10m';
  // The recording rules at a test pace: 5 s windows, recorded 15 s late (the collector flushes
  // every 2 s here). Same generator, same formula as the shipped 1m / 2m.
  live.recording = { interval: '5s', delay: '15s' };
  const rulesFile = join(prom.dataDir, 'cmdtel.rules.yml');
  await writeFile(rulesFile, renderRules(live));
  // TODO(collector engineer): a `ruleFiles` option on startPrometheus would replace this rewrite.
  const configFile = join(prom.dataDir, 'prometheus.yml');
  const config = JSON.parse(await readFile(configFile, 'utf8'));
  config.rule_files = [rulesFile];
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const response = await fetch(`${prom.url}/-/reload`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
  assert.equal(response.status, 200, await response.text());
  const groups = await api.rules();
  assert.deepEqual(groups.flatMap((g) => g.rules.map((r) => r.name)).sort(), [...Object.values(RECORDED), ...Object.keys(alertExpressions(PARAMS))].sort());
}

/** Runs the demo CLI once; resolves with its exit code. */
function runCli(run) {
  const env = {
    PATH: process.env.PATH,
    HOME: work,
    NOTES_HOME: join(work, 'home'),
    NOTES_CONFIG_DIR: join(work, 'config'),
    NOTES_TELEMETRY_URL: collector.otlpUrl,
    NOTES_TELEMETRY_TOKEN: TOKEN,
    NOTES_TELEMETRY_ENABLED: '1',
    NOTES_TELEMETRY_DELIVERY: 'inline',
    NOTES_TELEMETRY_TIMEOUT_MS: '10000',
    ...(run.channel ? { NOTES_CHANNEL: run.channel } : {}),
    ...run.caller.env,
    ...run.env,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...run.args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** Runs a phase, CONCURRENCY at a time, checking each exit code. */
async function runPhase(runs) {
  const queue = [...runs];
  const worker = async () => {
    for (let run = queue.shift(); run; run = queue.shift()) {
      const { code, stderr } = await runCli(run);
      assert.equal(code, run.expect.exit, `notes ${run.args.join(' ')}: exit ${code}\n${stderr}`);
      assert.doesNotMatch(stderr, /cmdtel(?: debug)?:/, `notes ${run.args.join(' ')}: telemetry complained\n${stderr}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** Waits (bounded) until Prometheus holds exactly `runs` invocations and histogram observations. */
async function waitForIngested(runs) {
  const counted = async (metric) => {
    const rows = await api.instant(`sum(last_over_time(${metric}{service_name="notes"}[1h]))`, Date.now() / 1000);
    return rows[0]?.value ?? 0;
  };
  let last = {};
  try {
    await waitFor(
      async () => {
        last = { invocations: await counted('cli_command_invocations_total'), histogram: await counted('cli_command_duration_seconds_count') };
        return last.invocations === runs && last.histogram === runs;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: `${runs} invocations in Prometheus` },
    );
  } catch (error) {
    error.message += ` (last seen: ${JSON.stringify(last)})\n--- collector ---\n${collector.logs().slice(-4000)}`;
    throw error;
  }
}

/** Firing alerts of an expression at a time: label key → value. */
async function evaluate(name, time) {
  const rows = await api.instant(alertExpressions(PARAMS)[name], time);
  return new Map(rows.map((r) => [key(r.metric.service_name, r.metric.cli_command, r.metric.cli_subcommand).trim(), r.value]));
}

async function liveAlerts() {
  const alerts = await api.alerts();
  return alerts
    .filter((a) => a.state === 'firing')
    .map((a) => `${a.labels.alertname} ${key(a.labels.service_name, a.labels.cli_command, a.labels.cli_subcommand)}`.trim())
    .sort();
}

/** Waits (bounded) for the live rule manager to show exactly `expected` as firing. */
async function expectLive(expected) {
  let seen = [];
  try {
    await waitFor(
      async () => {
        seen = await liveAlerts();
        return JSON.stringify(seen) === JSON.stringify([...expected].sort());
      },
      { timeoutMs: 20_000, intervalMs: 500, what: 'firing alerts' },
    );
  } catch (error) {
    error.message += `: expected ${JSON.stringify(expected)}, saw ${JSON.stringify(seen)}`;
    throw error;
  }
}

const summary = []; // [what, value] for the report
const summaryAll = summary;

// ---------------------------------------------------------------------------------------------

test('healthy traffic: only the p99 alert fires, for sync push', { timeout: 180_000 }, async () => {
  marks.t0 = Date.now() / 1000;
  await runPhase(HEALTHY);
  await waitForIngested(HEALTHY.length);
  marks.t1 = Date.now() / 1000;

  const errorsShare = HEALTHY.filter(isError).length / HEALTHY.length;
  assert.ok(errorsShare < PARAMS.errorRate.threshold, 'the healthy phase stays under the threshold');
  assert.deepEqual([...(await evaluate('CmdtelErrorRateHigh', marks.t1))], []);
  const latency = await evaluate('CmdtelLatencyHigh', marks.t1);
  assert.deepEqual([...latency.keys()], ['notes sync push']);
  assert.ok(Math.abs(latency.get('notes sync push') - 4.98) < EPS, `p99 ${latency.get('notes sync push')}`);
  assert.deepEqual([...(await evaluate('CmdtelCommandFailing', marks.t1))], []);
  assert.deepEqual([...(await evaluate('CmdtelNoInvocations', marks.t1))], []);
  summary.push(['t1 CmdtelErrorRateHigh', `not firing (error share ${(errorsShare * 100).toFixed(2)} %)`]);
  summary.push(['t1 CmdtelLatencyHigh', `firing: notes sync push p99 = ${latency.get('notes sync push')} s`]);
  summary.push(['t1 CmdtelCommandFailing', 'not firing'], ['t1 CmdtelNoInvocations', 'not firing']);

  await expectLive(['CmdtelLatencyHigh notes sync push']);
});

test('failing traffic: error rate and the failing command fire too', { timeout: 180_000 }, async () => {
  assert.ok(marks.t1, 'the healthy phase ran');
  await new Promise((resolve) => setTimeout(resolve, 1100)); // phase-2 samples strictly after t1
  await runPhase(FAILING);
  await waitForIngested(ALL.length);
  marks.t2 = Date.now() / 1000;

  const share = ALL.filter(isError).length / ALL.length;
  const errorRate = await evaluate('CmdtelErrorRateHigh', marks.t2);
  assert.deepEqual([...errorRate.keys()], ['notes']);
  assert.ok(Math.abs(errorRate.get('notes') - share) < EPS, `error rate ${errorRate.get('notes')} vs ${share}`);
  const latency = await evaluate('CmdtelLatencyHigh', marks.t2);
  assert.deepEqual([...latency.keys()], ['notes sync push']);
  const failing = await evaluate('CmdtelCommandFailing', marks.t2);
  assert.deepEqual([...failing.keys()], ['notes sync pull']);
  const pulls = ALL.filter((r) => commandKey(r) === 'sync pull');
  assert.ok(Math.abs(failing.get('notes sync pull') - pulls.filter(isError).length / pulls.length) < EPS);
  assert.deepEqual([...(await evaluate('CmdtelNoInvocations', marks.t2))], []);
  summary.push(['t2 CmdtelErrorRateHigh', `firing: notes ${errorRate.get('notes')} (${ALL.filter(isError).length}/${ALL.length})`]);
  summary.push(['t2 CmdtelLatencyHigh', `firing: notes sync push ${latency.get('notes sync push')} s`]);
  summary.push(['t2 CmdtelCommandFailing', `firing: notes sync pull ${failing.get('notes sync pull')}`]);
  summary.push(['t2 CmdtelNoInvocations', 'not firing']);

  await expectLive(['CmdtelCommandFailing notes sync pull', 'CmdtelErrorRateHigh notes', 'CmdtelLatencyHigh notes sync push']);
});

/**
 * Waits (bounded) until the recording rules have recorded every run: the recorded increases of
 * invocations and of histogram observations each add up to exactly `runs`.
 */
async function waitForRecorded(runs) {
  const recorded = async (name) => {
    const rows = await api.instant(`sum(sum_over_time(${name}{service_name="notes"}[1h]))`, Date.now() / 1000);
    return rows[0]?.value ?? 0;
  };
  let last = {};
  try {
    await waitFor(
      async () => {
        last = { invocations: await recorded(RECORDED.cli_command_invocations_total), histogram: await recorded(RECORDED.cli_command_duration_seconds_count) };
        return last.invocations === runs && last.histogram === runs;
      },
      { timeoutMs: 60_000, intervalMs: 1000, what: `${runs} invocations recorded by the recording rules` },
    );
  } catch (error) {
    error.message += ` (last seen: ${JSON.stringify(last)})`;
    throw error;
  }
}

test('the recording rules record every run exactly once', { timeout: 90_000 }, async () => {
  assert.ok(marks.t2, 'the traffic ran');
  await waitForRecorded(ALL.length);
  marks.recorded = Date.now() / 1000;
  // And it stays that way: later windows (no traffic) add nothing.
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  await waitForRecorded(ALL.length);
  summary.push(['Recording rules', `${ALL.length} runs recorded, no more after two more windows`]);
});

for (const [file, counting] of Object.entries(DASHBOARDS)) {
  const name = file.split(/[\\/]/).pop();
  test(`every panel of ${name} (${counting}) returns what the traffic implies`, { timeout: 120_000 }, async () => {
    await checkDashboard(file, name);
  });
}

async function checkDashboard(file, fileName) {
  assert.ok(marks.recorded, 'the traffic ran and was recorded');
  const dashboard = JSON.parse(await readFile(file, 'utf8'));
  const summary = { push: ([what, value]) => summaryAll.push([`${fileName}: ${what}`, value]) };
  const variableDefs = Object.fromEntries(dashboard.templating.list.map((v) => [v.name, v]));
  // The dashboard's time range: a minute either side of the traffic, "to" past the last sample.
  const fromMs = (Math.floor(marks.t0 / 60) * 60 - 60) * 1000;
  const toMs = (Math.ceil(marks.recorded / 60) * 60 + 1) * 1000;
  const all = (name) => ({ ...variableDefs[name], value: '$__all' });
  const selected = (name, values) => ({ ...variableDefs[name], value: values });
  const allVariables = {
    service: all('service'),
    command: all('command'),
    channel: all('channel'),
    version: all('version'),
    os: all('os'),
    caller: all('caller'),
    ...(variableDefs.horizon ? { horizon: { value: variableDefs.horizon.query } } : {}),
  };
  if (variableDefs.horizon) assert.equal(variableDefs.horizon.query, PARAMS.stateHorizon, 'dashboard horizon = alerts stateHorizon');

  /** Runs every target of a panel as Grafana would; refId → result rows. */
  async function runPanel(panel, variables = allVariables) {
    const { stepS, intervalMs } = panelInterval({ fromMs, toMs, maxDataPoints: 1000, minInterval: panel.interval });
    const out = {};
    for (const target of panel.targets) {
      const expr = interpolate(target.expr, { fromMs, toMs, intervalMs, variables });
      assert.doesNotMatch(expr, /\$\w/, `${panel.title} ${target.refId}: unsubstituted variable`);
      if (target.instant) {
        out[target.refId] = await api.instant(expr, toMs / 1000);
      } else {
        const { start, end } = alignRange(fromMs, toMs, stepS);
        out[target.refId] = { stepS, series: await api.range(expr, start, end, stepS) };
      }
    }
    return out;
  }
  const panels = dashboard.panels.filter((p) => p.type !== 'row');
  const byTitle = Object.fromEntries(panels.map((p) => [p.title, p]));
  const results = {};
  for (const panel of panels) results[panel.title] = await runPanel(panel);
  const checked = new Set();
  const single = (rows) => {
    assert.equal(rows.length, 1, JSON.stringify(rows));
    return rows[0].value;
  };
  const near = (actual, expected, what) => assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual}, expected ${expected}`);

  // Checked first: they do not depend on the machine's speed, the latency checks below do.
  // --- Who runs it --------------------------------------------------------------------------------
  const byCaller = tally(ALL, (r) => r.caller.kind);
  const callerShares = Object.fromEntries(
    results['Share of runs by caller'].A.map((r) => [`${r.metric.cli_caller_type} ${r.metric.cli_caller_name ?? ''}`.trim(), r.value]),
  );
  assert.deepEqual(Object.keys(callerShares).sort(), [...byCaller.keys()].sort());
  for (const [kind, runs] of byCaller) near(callerShares[kind], runs / ALL.length, `Share of runs by caller: ${kind}`);
  checked.add('Share of runs by caller');
  summary.push([
    'Share of runs by caller',
    JSON.stringify(Object.fromEntries(Object.entries(callerShares).map(([k, v]) => [k, `${Math.round(v * ALL.length)}/${ALL.length}`]))),
  ]);
  // Each point is a share of its interval's runs; weighted by those runs (the volume panel) and summed, the runs per kind.
  const volume = results['Invocations per minute'].A;
  const runsPerPoint = new Map();
  for (const s of volume.series) for (const [t, v] of s.points) runsPerPoint.set(t, (runsPerPoint.get(t) ?? 0) + v * (volume.stepS / 60));
  const runsByKind = {};
  for (const s of results['Runs by kind of caller'].A.series) {
    for (const [t, v] of s.points) runsByKind[s.metric.cli_caller_type] = (runsByKind[s.metric.cli_caller_type] ?? 0) + v * (runsPerPoint.get(t) ?? 0);
  }
  const wantByKind = Object.fromEntries(tally(ALL, (r) => r.caller.kind.split(' ')[0]));
  assert.deepEqual(Object.keys(runsByKind).sort(), Object.keys(wantByKind).sort());
  for (const [kind, runs] of Object.entries(wantByKind)) near(runsByKind[kind], runs, `Runs by kind of caller: ${kind}`);
  checked.add('Runs by kind of caller');
  summary.push([
    'Runs by kind of caller (share × runs per point, summed)',
    JSON.stringify(Object.fromEntries(Object.entries(runsByKind).map(([k, v]) => [k, Math.round(v)]))),
  ]);

  const labelKey = (m, labels) => key(...labels.map((l) => m[l]));

  const errors = ALL.filter(isError).length;
  const perCommand = tally(ALL, commandKey);
  const errorsPerCommand = tally(ALL, (r) => (isError(r) ? commandKey(r) : null));

  // --- Overview --------------------------------------------------------------------------------
  near(single(results.Invocations.A), ALL.length, 'Invocations');
  checked.add('Invocations');
  summary.push(['Invocations', single(results.Invocations.A)]);

  near(single(results['Error rate'].A), errors / ALL.length, 'Error rate (stat)');
  checked.add('Error rate');
  summary.push(['Error rate (stat)', single(results['Error rate'].A)]);

  // p99 over everything: rank 0.99 * 140 falls among the 20 slow runs in (3, 5].
  const slow = ALL.filter((r) => r.slow).length;
  const rank = 0.99 * ALL.length;
  near(single(results['p99 latency'].A), 3 + 2 * ((rank - (ALL.length - slow)) / slow), 'p99 latency');
  checked.add('p99 latency');
  summary.push(['p99 latency', single(results['p99 latency'].A)]);

  near(single(results['Commands used'].A), perCommand.size, 'Commands used');
  checked.add('Commands used');
  summary.push(['Commands used', single(results['Commands used'].A)]);

  // --- Traffic and errors: every point a whole number of runs, the points add up ----------------
  const sumSeries = (res, labels) => {
    const sums = new Map();
    for (const s of res.series) {
      const k = labelKey(s.metric, labels);
      for (const [, v] of s.points) {
        const count = v * (res.stepS / 60);
        assert.ok(Math.abs(count - Math.round(count)) < 1e-6 && count >= 0, `not a whole count: ${v}`);
        sums.set(k, (sums.get(k) ?? 0) + Math.round(count));
      }
    }
    return sums;
  };
  const perOutcome = sumSeries(results['Invocations per minute'].A, ['cli_outcome']);
  assert.deepEqual(Object.fromEntries(perOutcome), Object.fromEntries(tally(ALL, (r) => r.expect.outcome)));
  checked.add('Invocations per minute');
  summary.push(['Invocations per minute (sum of points)', JSON.stringify(Object.fromEntries(perOutcome))]);

  const perCmdSeries = sumSeries(results['Invocations per minute by command'].A, ['service_name', 'cli_command', 'cli_subcommand']);
  assert.deepEqual(Object.fromEntries([...perCmdSeries].sort()), Object.fromEntries([...perCommand].map(([k, v]) => [`notes ${k}`, v]).sort()));
  checked.add('Invocations per minute by command');
  summary.push(['Invocations per minute by command (sums)', JSON.stringify(Object.fromEntries(perCmdSeries))]);

  // Error-rate series: each point is errors/runs of its interval, so weighting the points by the
  // runs per interval (from the volume panel) must give back the errors.
  const perMinute = results['Invocations per minute'].A;
  const runsAt = new Map();
  for (const s of perMinute.series) {
    for (const [t, v] of s.points) runsAt.set(t, (runsAt.get(t) ?? 0) + v * (perMinute.stepS / 60));
  }
  for (const [t, v] of runsAt) if (v === 0) runsAt.delete(t);
  const errorRateTs = results['Error rate over time'];
  let weighted = 0;
  assert.equal(errorRateTs.A.series.length, 1);
  for (const [t, v] of errorRateTs.A.series[0].points) {
    assert.ok(v >= 0 && v <= 1, `error rate ${v}`);
    assert.ok(runsAt.get(t) > 0, `an error-rate point without traffic at ${t}`);
    weighted += v * runsAt.get(t);
  }
  assert.equal(errorRateTs.A.series[0].points.length, runsAt.size, 'a point (0 or more) wherever there was traffic');
  near(weighted, errors, 'Error rate (series) weighted by runs');
  checked.add('Error rate over time');
  summary.push(['Error rate over time, run-weighted mean', weighted / ALL.length]);

  const perMinuteByCommand = results['Invocations per minute by command'].A;
  const runsAtByCommand = new Map();
  for (const s of perMinuteByCommand.series) {
    for (const [t, v] of s.points) runsAtByCommand.set(`${labelKey(s.metric, ['cli_command', 'cli_subcommand'])}@${t}`, v * (perMinuteByCommand.stepS / 60));
  }
  const errorsByCommand = new Map();
  for (const s of results['Error rate by command'].A.series) {
    const k = labelKey(s.metric, ['cli_command', 'cli_subcommand']);
    for (const [t, v] of s.points) errorsByCommand.set(k, (errorsByCommand.get(k) ?? 0) + v * runsAtByCommand.get(`${k}@${t}`));
  }
  for (const [k, runs] of perCommand) near(errorsByCommand.get(k), errorsPerCommand.get(k) ?? 0, `Error rate by command ${k} (${runs} runs)`);
  checked.add('Error rate by command');
  summary.push([
    'Error rate by command (run-weighted)',
    JSON.stringify(Object.fromEntries([...errorsByCommand].map(([k, v]) => [k, +(v / perCommand.get(k)).toFixed(4)]))),
  ]);

  // --- Latency ---------------------------------------------------------------------------------
  const lat = results['Latency by command (p50 / p95 / p99)'];
  for (const [refId, q] of [
    ['A', 0.5],
    ['B', 0.95],
    ['C', 0.99],
  ]) {
    const push = lat[refId].series.find((s) => s.metric.cli_command === 'sync' && s.metric.cli_subcommand === 'push');
    assert.ok(push, `p${q * 100} sync push`);
    for (const [, v] of push.points) near(v, 3 + 2 * q, `p${q * 100} sync push`);
    for (const s of lat[refId].series.filter((x) => x.metric.cli_command === 'note' || x.metric.cli_command === '_unknown')) {
      for (const [, v] of s.points) assert.ok(v > 0 && v <= 0.5, `p${q * 100} ${s.metric.cli_command} ${s.metric.cli_subcommand}: ${v}`);
    }
    const pull = lat[refId].series.find((s) => s.metric.cli_command === 'sync' && s.metric.cli_subcommand === 'pull');
    for (const [, v] of pull.points) assert.ok(v > 0.1 && v <= 0.5, `p${q * 100} sync pull: ${v}`);
  }
  checked.add('Latency by command (p50 / p95 / p99)');
  summary.push(['Latency by command', 'sync push p50/p95/p99 = 4 / 4.9 / 4.98 s at every point; note and _unknown ≤ 0.5 s; sync pull in (0.1, 0.5] s']);

  const slowest = results['Slowest commands'];
  const slowLabels = ['cli_command', 'cli_subcommand', 'process_exit_code'];
  const calls = new Map(slowest.A.map((r) => [labelKey(r.metric, slowLabels), r.value]));
  assert.deepEqual(
    Object.fromEntries([...calls].sort()),
    Object.fromEntries([...tally(ALL, (r) => key(r.expect.command, r.expect.subcommand, String(r.expect.exit)))].sort()),
  );
  const mean = new Map(slowest.B.map((r) => [labelKey(r.metric, slowLabels), r.value]));
  assert.ok(mean.get('sync push 0') >= SLOW_MS / 1000 && mean.get('sync push 0') < SLOW_MS / 1000 + 0.5, `mean sync push ${mean.get('sync push 0')}`);
  const p99 = new Map(slowest.E.map((r) => [labelKey(r.metric, slowLabels), r.value]));
  near(p99.get('sync push 0'), 4.98, 'Slowest commands p99 sync push');
  near(new Map(slowest.C.map((r) => [labelKey(r.metric, slowLabels), r.value])).get('sync push 0'), 4, 'p50 sync push');
  near(new Map(slowest.D.map((r) => [labelKey(r.metric, slowLabels), r.value])).get('sync push 0'), 4.9, 'p95 sync push');
  const top = [...p99].sort((a, b) => b[1] - a[1])[0];
  assert.equal(top[0], 'sync push 0', 'the slowest row (sorted by p99) is sync push');
  checked.add('Slowest commands');
  summary.push([
    'Slowest commands',
    `top: sync push exit 0, calls ${calls.get('sync push 0')}, mean ${mean.get('sync push 0').toFixed(3)} s, p99 ${p99.get('sync push 0')} s; calls by command/exit ${JSON.stringify(Object.fromEntries(calls))}`,
  ]);

  // --- Failures --------------------------------------------------------------------------------
  const failLabels = ['cli_command', 'cli_subcommand', 'process_exit_code', 'error_type'];
  const failing = results['Most-failing commands'];
  const expectedErrors = tally(ALL, (r) => (isError(r) ? key(r.expect.command, r.expect.subcommand, String(r.expect.exit), r.expect.errorType) : null));
  const gotErrors = new Map(failing.A.map((r) => [labelKey(r.metric, failLabels), r.value]));
  assert.deepEqual(Object.fromEntries([...gotErrors].sort()), Object.fromEntries([...expectedErrors].sort()));
  for (const r of failing.B) {
    const k = labelKey(r.metric, failLabels);
    near(r.value, expectedErrors.get(k) / perCommand.get(labelKey(r.metric, ['cli_command', 'cli_subcommand'])), `share ${k}`);
  }
  assert.equal([...gotErrors].sort((a, b) => b[1] - a[1])[0][0], 'sync pull 3 auth', 'most-failing row');
  checked.add('Most-failing commands');
  summary.push([
    'Most-failing commands',
    JSON.stringify(
      Object.fromEntries(
        failing.B.map((r) => [labelKey(r.metric, failLabels), `${gotErrors.get(labelKey(r.metric, failLabels))} (${(r.value * 100).toFixed(1)} %)`]),
      ),
    ),
  ]);

  // --- Adoption --------------------------------------------------------------------------------
  const versions = results['Version adoption'].A.series;
  assert.deepEqual(
    versions.map((s) => s.metric.service_version),
    ['1.4.2'],
  );
  for (const [, v] of versions[0].points) near(v, 1, 'Version adoption');
  checked.add('Version adoption');
  summary.push(['Version adoption', '1.4.2 = 100 % at every point']);

  assert.deepEqual(
    results['Invocations by version'].A.map((r) => [r.metric.service_version, r.value]),
    [['1.4.2', 1]],
  );
  checked.add('Invocations by version');
  summary.push(['Invocations by version', '1.4.2 = 1']);

  assert.deepEqual(
    results['Operating systems'].A.map((r) => [r.metric.os_type, r.value]),
    [[process.platform === 'win32' ? 'windows' : process.platform, ALL.length]],
  );
  checked.add('Operating systems');
  summary.push(['Operating systems', JSON.stringify(results['Operating systems'].A.map((r) => [r.metric.os_type, r.value]))]);

  const channels = Object.fromEntries(results.Channels.A.map((r) => [r.metric.cli_channel, r.value]));
  assert.deepEqual(channels, Object.fromEntries(tally(ALL, (r) => r.channel ?? '(none)')));
  checked.add('Channels');
  summary.push(['Channels', JSON.stringify(channels)]);

  assert.deepEqual([...checked].sort(), [...new Set(panels.map((p) => p.title))].sort(), 'every panel checked');

  // --- Filters, substituted as Grafana does (single, multi, All) ------------------------------
  const withVars = (overrides) => ({ ...allVariables, ...overrides });
  const stat = async (title, variables) => single((await runPanel(byTitle[title], variables)).A);
  const syncRuns = ALL.filter((r) => r.expect.command === 'sync');
  near(await stat('Invocations', withVars({ command: selected('command', ['sync']) })), syncRuns.length, 'command=sync');
  near(
    await stat('Error rate', withVars({ command: selected('command', ['sync']) })),
    syncRuns.filter(isError).length / syncRuns.length,
    'error rate, command=sync',
  );
  near(
    await stat('Invocations', withVars({ command: selected('command', ['note', 'sync']) })),
    ALL.filter((r) => r.expect.command !== '_unknown').length,
    'command=(note|sync)',
  );
  const beta = ALL.filter((r) => r.channel === 'beta');
  near(await stat('Invocations', withVars({ channel: selected('channel', ['beta']) })), beta.length, 'channel=beta');
  near(await stat('Error rate', withVars({ channel: selected('channel', ['beta']) })), 0, 'error rate 0 (not "no data") for beta');
  near(
    await stat(
      'Invocations',
      withVars({ service: selected('service', ['notes']), version: selected('version', ['1.4.2']), os: selected('os', [process.platform]) }),
    ),
    ALL.length,
    'service/version/os selected',
  );
  assert.deepEqual((await runPanel(byTitle.Invocations, withVars({ version: selected('version', ['9.9.9']) }))).A, [], 'no runs of an unknown version');
  const agentRuns = ALL.filter((r) => r.caller.kind.startsWith('agent '));
  near(await stat('Invocations', withVars({ caller: selected('caller', ['agent']) })), agentRuns.length, 'caller=agent');
  near(
    await stat('Error rate', withVars({ caller: selected('caller', ['agent']) })),
    agentRuns.filter(isError).length / agentRuns.length,
    'error rate, caller=agent',
  );
  near(await stat('Invocations', withVars({ caller: selected('caller', ['ci', 'script']) })), ALL.length - agentRuns.length, 'caller=(ci|script)');
  summary.push([
    'Filters',
    `command=sync → ${syncRuns.length} runs, ${((syncRuns.filter(isError).length / syncRuns.length) * 100).toFixed(2)} % errors; command=(note|sync) → ${ALL.length - 1}; channel=beta → ${beta.length}, 0 % errors`,
  ]);

  // --- The variables' own queries --------------------------------------------------------------
  const varValues = {};
  for (const name of ['service', 'command', 'channel', 'version', 'os', 'caller']) {
    const definition = interpolate(variableDefs[name].query.query, { fromMs, toMs, intervalMs: 60_000, variables: allVariables });
    varValues[name] = await labelValues(api, definition, fromMs / 1000, toMs / 1000);
  }
  assert.deepEqual(varValues, {
    service: ['notes'],
    command: [...new Set(ALL.map((r) => r.expect.command))].sort(),
    channel: ['beta', 'stable'],
    version: ['1.4.2'],
    os: [process.platform],
    caller: ['agent', 'ci', 'script'],
  });
  summary.push(['Variables', JSON.stringify(varValues)]);

  // For the record: what increase() says about the same range.
  const naive = await api.instant(`sum(increase(cli_command_invocations_total[${Math.round((toMs - fromMs) / 1000)}s]))`, toMs / 1000);
  summary.push(['(increase() over the same range, for comparison)', naive[0]?.value ?? 'no result']);
}

test('the key queries in docs/sls.md agree with the traffic', { timeout: 60_000 }, async () => {
  assert.ok(marks.t2, 'the traffic ran');
  const doc = await readFile(join(ROOT, 'docs', 'sls.md'), 'utf8');
  const blocks = [...doc.matchAll(/(<!-- alert:\w+ -->\n)?```promql\n([\s\S]*?)\n```/g)].filter((m) => !m[1]).map((m) => m[2]);
  assert.ok(blocks.length >= 5, `${blocks.length} query blocks`);
  const at = marks.t2 + 1;
  const [perCommandQ, errorRateQ, p99Q, failingQ, versionQ] = blocks;
  const perCommand = await api.instant(perCommandQ, at);
  assert.deepEqual(
    Object.fromEntries(perCommand.map((r) => [key(r.metric.cli_command, r.metric.cli_subcommand), r.value]).sort()),
    Object.fromEntries([...tally(ALL, commandKey)].sort()),
  );
  const [rate] = await api.instant(errorRateQ, at);
  assert.ok(Math.abs(rate.value - ALL.filter(isError).length / ALL.length) < EPS);
  const p99 = await api.instant(p99Q, at);
  assert.ok(Math.abs(p99.find((r) => r.metric.cli_subcommand === 'push').value - 4.98) < EPS);
  const failing = await api.instant(failingQ, at);
  assert.equal(
    key(failing[0].metric.cli_command, failing[0].metric.cli_subcommand, failing[0].metric.process_exit_code, failing[0].metric.error_type),
    'sync pull 3 auth',
  );
  const [version] = await api.instant(versionQ, at);
  assert.equal(version.value, 1);
  for (const extra of blocks.slice(5)) await api.instant(extra, at);
});

test('five minutes without runs: "no invocations" fires, and nothing else changes', { timeout: 120_000 }, async () => {
  assert.ok(marks.t2, 'the traffic ran');
  // The production expression, evaluated five and a half minutes after the last run.
  const t3 = marks.t2 + parseDuration(PARAMS.noInvocations.window) + 30;
  const silent = await evaluate('CmdtelNoInvocations', t3);
  assert.deepEqual([...silent], [['notes', ALL.length]]);
  summary.push(['t3 = t2 + 5m30s CmdtelNoInvocations', `firing: notes, ${silent.get('notes')} runs in the hour before`]);
  for (const name of ['CmdtelErrorRateHigh', 'CmdtelLatencyHigh', 'CmdtelCommandFailing']) {
    const windowStart =
      t3 - parseDuration(PARAMS[{ CmdtelErrorRateHigh: 'errorRate', CmdtelLatencyHigh: 'latency', CmdtelCommandFailing: 'commandFailing' }[name]].window);
    const fired = await evaluate(name, t3);
    if (windowStart < marks.t0)
      assert.deepEqual([...fired.keys()], [...(await evaluate(name, marks.t2)).keys()], `${name} at t3 (its window still holds all the runs)`);
    summary.push([`t3 ${name}`, fired.size ? `still firing (window holds the traffic): ${[...fired.keys()].join(', ')}` : 'not firing']);
  }
  // The live rules use a 30 s window: wait for it to pass.
  await expectLiveIncludes('CmdtelNoInvocations notes', 75_000);
});

async function expectLiveIncludes(alert, timeoutMs) {
  await waitFor(async () => (await liveAlerts()).includes(alert), { timeoutMs, intervalMs: 1000, what: `${alert} firing` });
}

test('report', () => {
  for (const [what, value] of summary) process.stdout.write(`# ${what}: ${value}\n`);
});
