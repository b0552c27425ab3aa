#!/usr/bin/env node
/**
 * Renders cmdtel's Prometheus alerting rules from alerts/params.json.
 *
 *   node alerts/render.mjs                      # rewrite alerts/cmdtel.rules.yml
 *   node alerts/render.mjs --params my.json --out my.rules.yml
 *   node alerts/render.mjs --check              # exit 1 when the rule file is out of date
 *
 * Thresholds and windows live in one JSON file rather than in the rule file
 * itself because a window appears several times in each expression (the
 * exact-count formula needs it for the window, the offset and the guards):
 * editing it by hand in four places per alert is how rules drift. The output is
 * a plain rule file, committed, so nobody needs Node to use the defaults.
 * Zero dependencies on purpose: it runs from a fresh clone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exactIncrease, formatDuration, parseDuration, RECORDED, selector, sumBy } from './promql.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_PARAMS_FILE = join(HERE, 'params.json');
export const DEFAULT_RULES_FILE = join(HERE, 'cmdtel.rules.yml');

/** The histogram's bucket boundaries (src/vocabulary/instruments.ts); a latency threshold must be one of them. */
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 3, 5, 10, 30, 60, 120, 300];

const INVOCATIONS = 'cli_command_invocations_total';
const DURATION_BUCKET = 'cli_command_duration_seconds_bucket';
const DURATION_COUNT = 'cli_command_duration_seconds_count';
const SERVICE = ['service_name'];
const COMMAND = ['service_name', 'cli_command', 'cli_subcommand'];

/** Reads and checks a params file; throws with the offending key. */
export function loadParams(file = DEFAULT_PARAMS_FILE) {
  return validateParams(JSON.parse(readFileSync(file, 'utf8')));
}

/** Throws a precise error for a missing or out-of-range parameter; returns the params unchanged. */
export function validateParams(p) {
  const duration = (key, value) => {
    try {
      parseDuration(value);
    } catch {
      throw new Error(`params: ${key} must be a Prometheus duration such as "15m", got ${JSON.stringify(value)}`);
    }
  };
  const number = (key, value, min, max) => {
    if (typeof value !== 'number' || !(value >= min && value <= max)) {
      throw new Error(`params: ${key} must be a number in [${min}, ${max}], got ${JSON.stringify(value)}`);
    }
  };
  duration('stateHorizon', p.stateHorizon);
  duration('evaluationInterval', p.evaluationInterval);
  if (typeof p.recording !== 'object' || p.recording === null) throw new Error('params: recording is missing');
  duration('recording.interval', p.recording.interval);
  duration('recording.delay', p.recording.delay);
  if (parseDuration(p.recording.interval) === 0) throw new Error('params: recording.interval must be longer than 0s');
  if (parseDuration(p.recording.interval) > parseDuration(p.stateHorizon)) {
    throw new Error('params: recording.interval must not be longer than stateHorizon');
  }
  for (const group of ['errorRate', 'latency', 'commandFailing', 'noInvocations']) {
    if (typeof p[group] !== 'object' || p[group] === null) throw new Error(`params: ${group} is missing`);
    duration(`${group}.window`, p[group].window);
    duration(`${group}.for`, p[group].for);
    if (typeof p[group].severity !== 'string') throw new Error(`params: ${group}.severity must be a string`);
  }
  number('errorRate.threshold', p.errorRate.threshold, 0, 1);
  number('errorRate.minCalls', p.errorRate.minCalls, 1, Infinity);
  number('latency.quantile', p.latency.quantile, 0.01, 0.999);
  number('latency.minCalls', p.latency.minCalls, 1, Infinity);
  if (!DURATION_BUCKETS_SECONDS.includes(p.latency.thresholdSeconds)) {
    throw new Error(
      `params: latency.thresholdSeconds must be a bucket boundary (${DURATION_BUCKETS_SECONDS.join(', ')}) ` +
        `so the alert is exact rather than interpolated, got ${JSON.stringify(p.latency.thresholdSeconds)}`,
    );
  }
  number('commandFailing.errorRatio', p.commandFailing.errorRatio, 0, 1);
  number('commandFailing.minErrors', p.commandFailing.minErrors, 1, Infinity);
  if (typeof p.commandFailing.excludeCommands !== 'string') throw new Error('params: commandFailing.excludeCommands must be a regex string ("" for none)');
  duration('noInvocations.baselineWindow', p.noInvocations.baselineWindow);
  number('noInvocations.minBaselineCalls', p.noInvocations.minBaselineCalls, 1, Infinity);
  for (const group of ['errorRate', 'latency', 'commandFailing', 'noInvocations']) {
    if (parseDuration(p[group].window) > parseDuration(p.stateHorizon)) {
      throw new Error(`params: ${group}.window must not be longer than stateHorizon`);
    }
  }
  return p;
}

const indent = (text, spaces) =>
  text
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');

/** Builds `A\nop\nB` with each operand indented, so long rules stay readable in the YAML. */
const binary = (left, op, right) => `${left}\n${op}\n${right}`;

/** The four alert expressions for a params object, keyed by alert name. */
export function alertExpressions(p) {
  const h = p.stateHorizon;
  const count = (metric, matchers, labels, window, offset) => sumBy(labels, exactIncrease(selector(metric, matchers), { window, horizon: h, offset }));

  const er = p.errorRate;
  const errorRate = binary(
    `(\n${indent(binary(count(INVOCATIONS, ['cli_outcome="error"'], SERVICE, er.window), '/', count(INVOCATIONS, [], SERVICE, er.window)), 2)}\n) > ${er.threshold}`,
    `and on (${SERVICE.join(', ')})`,
    `${count(INVOCATIONS, [], SERVICE, er.window)} >= ${er.minCalls}`,
  );

  const lt = p.latency;
  const latency = binary(
    `histogram_quantile(${lt.quantile},\n${indent(count(DURATION_BUCKET, [], [...COMMAND, 'le'], lt.window), 2)}\n) > ${lt.thresholdSeconds}`,
    `and on (${COMMAND.join(', ')})`,
    `${count(DURATION_COUNT, [], COMMAND, lt.window)} >= ${lt.minCalls}`,
  );

  const cf = p.commandFailing;
  const keep = cf.excludeCommands === '' ? [] : [`cli_command!~"${cf.excludeCommands}"`];
  const errors = count(INVOCATIONS, ['cli_outcome="error"', ...keep], COMMAND, cf.window);
  const commandFailing = binary(
    `(\n${indent(binary(errors, '/', count(INVOCATIONS, keep, COMMAND, cf.window)), 2)}\n) > ${cf.errorRatio}`,
    `and on (${COMMAND.join(', ')})`,
    `${errors} >= ${cf.minErrors}`,
  );

  const ni = p.noInvocations;
  const noInvocations = binary(
    `${count(INVOCATIONS, [], SERVICE, ni.baselineWindow, ni.window)} >= ${ni.minBaselineCalls}`,
    `unless on (${SERVICE.join(', ')})`,
    `${count(INVOCATIONS, [], SERVICE, ni.window)} > 0`,
  );

  return {
    CmdtelErrorRateHigh: errorRate,
    CmdtelLatencyHigh: latency,
    CmdtelCommandFailing: commandFailing,
    CmdtelNoInvocations: noInvocations,
  };
}

/**
 * The recording rules: for each cmdtel series, the exact increase over one recording interval,
 * `delay` in the past. Evaluated every `interval` (the group's interval equals the window), the
 * windows follow each other without gap or overlap, so summing the recorded samples over any range
 * is the exact count in it (shifted by `delay`). The delay gives late samples (collector batching,
 * remote-write queues) time to land before their window is recorded: a sample that arrives after
 * its window was recorded is never counted by the recorded series.
 * @returns {{record: string, expr: string}[]}
 */
export function recordingRules(p) {
  const { interval, delay } = p.recording;
  const offset = formatDuration(parseDuration(delay));
  return Object.entries(RECORDED).map(([metric, record]) => ({
    record,
    expr: exactIncrease(metric, { window: formatDuration(parseDuration(interval)), horizon: p.stateHorizon, offset }),
  }));
}

/** Alert name → `for`, severity, summary and description (Prometheus templates). */
export function alertMeta(p) {
  const pct = (x) => `${+(x * 100).toFixed(4)}%`;
  const q = `p${+(p.latency.quantile * 100).toFixed(3)}`;
  return {
    CmdtelErrorRateHigh: {
      for: p.errorRate.for,
      severity: p.errorRate.severity,
      summary: `{{ $labels.service_name }}: more than ${pct(p.errorRate.threshold)} of invocations fail`,
      description:
        `{{ $value | humanizePercentage }} of {{ $labels.service_name }} invocations ended with outcome "error" over the last ${p.errorRate.window} ` +
        `(at least ${p.errorRate.minCalls} calls; cancelled runs are not errors).`,
    },
    CmdtelLatencyHigh: {
      for: p.latency.for,
      severity: p.latency.severity,
      summary: `{{ $labels.service_name }} {{ $labels.cli_command }} {{ $labels.cli_subcommand }}: ${q} latency above ${p.latency.thresholdSeconds}s`,
      description:
        `${q} of "{{ $labels.cli_command }} {{ $labels.cli_subcommand }}" is {{ $value | humanizeDuration }} over the last ${p.latency.window}: ` +
        `more than ${pct(1 - p.latency.quantile)} of its runs took longer than ${p.latency.thresholdSeconds}s (at least ${p.latency.minCalls} calls).`,
    },
    CmdtelCommandFailing: {
      for: p.commandFailing.for,
      severity: p.commandFailing.severity,
      summary: `{{ $labels.service_name }} {{ $labels.cli_command }} {{ $labels.cli_subcommand }}: most runs fail`,
      description:
        `{{ $value | humanizePercentage }} of "{{ $labels.cli_command }} {{ $labels.cli_subcommand }}" runs failed over the last ${p.commandFailing.window} ` +
        `(at least ${p.commandFailing.minErrors} failures). The command-level view of the fleet-wide error rate: it fires even when the command is a small share of traffic.`,
    },
    CmdtelNoInvocations: {
      for: p.noInvocations.for,
      severity: p.noInvocations.severity,
      summary: `{{ $labels.service_name }}: no invocations recorded for ${p.noInvocations.window}`,
      description:
        `No {{ $labels.service_name }} invocation reached Prometheus in the last ${p.noInvocations.window}, after {{ $value }} in the ${p.noInvocations.baselineWindow} before. ` +
        'Check the collector (health endpoint, remote-write errors) before suspecting the CLI.',
    },
  };
}

/** The rule file as YAML text. */
export function renderRules(p) {
  validateParams(p);
  const exprs = alertExpressions(p);
  const meta = alertMeta(p);
  const lines = [
    '# Generated by alerts/render.mjs from alerts/params.json; do not edit this file. Your own',
    '# thresholds: `npx cmdtel rules --set errorRate.threshold=0.02 > cmdtel.rules.yml` (or a',
    '# params file: `cmdtel rules --help`). docs/dashboards.md explains each rule.',
    'groups:',
    '  # What the Grafana dashboard reads: the exact per-series increase of each interval,',
    `  # recorded ${p.recording.delay} late so that late samples are in.`,
    '  - name: cmdtel-recording',
    `    interval: ${p.recording.interval}`,
    '    rules:',
  ];
  for (const { record, expr } of recordingRules(p)) {
    lines.push(`      - record: ${record}`, '        expr: |-', indent(expr, 10));
  }
  lines.push('  - name: cmdtel', `    interval: ${p.evaluationInterval}`, '    rules:');
  for (const [name, expr] of Object.entries(exprs)) {
    const m = meta[name];
    lines.push(
      `      - alert: ${name}`,
      '        expr: |-',
      indent(expr, 10),
      `        for: ${m.for}`,
      '        labels:',
      `          severity: ${JSON.stringify(m.severity)}`,
      '        annotations:',
      `          summary: ${JSON.stringify(m.summary)}`,
      `          description: ${JSON.stringify(m.description)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function main(argv) {
  const arg = (flag) => {
    const i = argv.indexOf(flag);
    return i === -1 ? undefined : argv[i + 1];
  };
  const paramsFile = arg('--params') ?? DEFAULT_PARAMS_FILE;
  const out = arg('--out') ?? DEFAULT_RULES_FILE;
  const text = renderRules(loadParams(paramsFile));
  if (argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(out, 'utf8');
    } catch {
      // missing counts as out of date
    }
    if (current !== text) {
      process.stderr.write(`${out} is out of date: run node alerts/render.mjs\n`);
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(out, text);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
