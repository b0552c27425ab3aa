#!/usr/bin/env node
// Gateway capacity (issue 12): the real collector with a gateway config in
// front of a real Prometheus, fed sender-shaped requests at a stepped rate;
// reports the highest rate at which Prometheus still counts exactly, p99
// request latency, and the gateway's RSS at 10k and 100k live series. Writes
// bench/results/gateway-capacity.json and the sections of docs/benchmarks.md
// and docs/collector.md between their markers.
//
//   node bench/gateway-capacity.js                       # full run, a few minutes
//   node bench/gateway-capacity.js --render              # re-render the pages from the saved results
//   node bench/gateway-capacity.js --quick               # a small validation run; writes nothing unless --write
//   node bench/gateway-capacity.js --rates= --env GOMEMLIMIT=400MiB   # memory phase only, extra collector env; prints only
//   node bench/gateway-capacity.js --config collector-config/gateway.yaml --config collector-config/gateway-prometheus.yaml
//
// The gateway runs with the environment an operator gives it (GATEWAY_RUNTIME_ENV: GOMEMLIMIT,
// docs/collector.md "Memory"), through the e2e harness; --env overrides it
// (GOMEMLIMIT=off is the Go runtime's own spelling of no limit).
//
// Every step and wait is bounded; --max-minutes bounds the stepping as a whole.
// The collector binary: OTELCOL_BIN, else the cached build (built when missing).
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GATEWAY_RUNTIME_ENV } from '../scripts/collector-common.mjs';
import { ROOT, configPath, startCollector } from '../test/e2e/harness/collector.js';
import { runPool } from '../test/e2e/harness/process.js';
import { startPrometheus } from '../test/e2e/harness/prometheus.js';
import { clientAgent, offerRate, post, processMemory, startDiscardingSink } from './lib/gateway-load.js';
import {
  GATEWAY_END,
  GATEWAY_START,
  RESULTS_FILE,
  SIZING_END,
  SIZING_START,
  gatewaySection,
  readGatewayResults,
  sizingSection,
  spliceBetween,
} from './lib/gateway-page.js';
import { distinctSetRequest, requestPool } from './lib/gateway-traffic.js';

const BENCH_PAGE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const COLLECTOR_PAGE = fileURLToPath(new URL('../docs/collector.md', import.meta.url));
const TOKEN = 'capacity-token';
const SETS_PER_REQUEST = 50;

const FULL = { rates: '500,1000,2000,3000,4000,6000,8000', 'step-seconds': '20', clients: '64', series: '10000,100000', 'max-minutes': '8' };
const QUICK = { rates: '100,200', 'step-seconds': '4', clients: '16', series: '2000', 'max-minutes': '3' };

const { values: args } = parseArgs({
  options: {
    config: { type: 'string', multiple: true },
    env: { type: 'string', multiple: true },
    rates: { type: 'string' },
    'step-seconds': { type: 'string' },
    clients: { type: 'string' },
    series: { type: 'string' },
    'flush-interval': { type: 'string', default: '5s' },
    'max-minutes': { type: 'string' },
    quick: { type: 'boolean', default: false },
    render: { type: 'boolean', default: false },
    write: { type: 'boolean' },
  },
});
const preset = args.quick ? QUICK : FULL;
const option = (name) => args[name] ?? preset[name];
const numbers = (text) =>
  text
    .split(',')
    .map(Number)
    .filter((n) => Number.isFinite(n) && n > 0);
const settings = {
  configs: (args.config ?? ['gateway', 'gateway-prometheus']).map((config) => resolve(configPath(config))),
  rates: numbers(option('rates')),
  stepSeconds: Number(option('step-seconds')),
  clients: Number(option('clients')),
  series: numbers(option('series')),
  flushInterval: args['flush-interval'],
  deadline: Date.now() + Number(option('max-minutes')) * 60_000,
  extraEnv: Object.fromEntries((args.env ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
};
// Only a run with both phases replaces the saved results, unless --write says so.
settings.write = args.write ?? (!args.quick && settings.rates.length > 0 && settings.series.length > 0);
const flushMs = durationMs(settings.flushInterval);
const log = (line) => process.stderr.write(`${line}\n`);

if (args.render) {
  // Re-renders both pages' sections from the saved results, e.g. after a change to the page layout.
  writePages(readGatewayResults());
  process.exit(0);
}

const started = Date.now();
const loadBefore = loadavg()[0];
const prom = await startPrometheus();
let results;
try {
  const steps = await stepRates();
  const series = await fillSeries();
  const sustained = [...steps].reverse().find((step) => step.sustained);
  results = {
    date: new Date().toISOString().slice(0, 10),
    cores: cpus().length,
    machine: `${cpus().length} cores, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
    configs: settings.configs.map((file) => relative(ROOT, file)),
    runtimeEnv: { ...GATEWAY_RUNTIME_ENV, ...settings.extraEnv },
    shape: `1–${Math.max(...steps.map((s) => s.maxBatch), 1)} invocations per request (mean ${steps[0]?.meanBatch.toFixed(1) ?? '—'}), points aggregated per attribute set over 12 command/subcommand pairs, 5% failures, 3 versions, 3 OS types, 3 channels, 20 orgs`,
    clients: settings.clients,
    stepSeconds: settings.stepSeconds,
    flushInterval: settings.flushInterval,
    steps,
    sustained: sustained ? { rate: sustained.targetRate, p99Ms: sustained.p99Ms } : null,
    series,
    partial: args.quick ? 'a --quick run (small rates, short steps, few series) to check the bench works' : undefined,
    loadBefore,
    loadAfter: loadavg()[0],
    elapsedSeconds: (Date.now() - started) / 1000,
  };
} finally {
  await prom.stop();
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
if (settings.write) {
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  writePages(results);
}

function writePages(saved) {
  spliceBetween(BENCH_PAGE, GATEWAY_START, GATEWAY_END, gatewaySection(saved));
  spliceBetween(COLLECTOR_PAGE, SIZING_START, SIZING_END, sizingSection(saved), { heading: '## Sizing\n\n' });
  log('written: docs/benchmarks.md (gateway section), docs/collector.md (sizing) from bench/results/gateway-capacity.json');
}

/** One collector for all rate steps; each step its own service.name, checked exactly in Prometheus. */
async function stepRates() {
  const collector = await startGateway(prom.remoteWriteUrl);
  const steps = [];
  try {
    for (const rate of settings.rates) {
      if (Date.now() > settings.deadline) {
        log(`stopping before ${rate}/s: --max-minutes reached`);
        break;
      }
      const serviceName = `capacity-${rate}`;
      const pool = requestPool({ serviceName, seed: rate });
      log(`offering ${rate} invocations/s for ${settings.stepSeconds} s...`);
      const sent = await offerRate({ url: collector.otlpUrl, token: TOKEN, pool, rate, seconds: settings.stepSeconds, clients: settings.clients });
      const counted = await waitForExact(serviceName, sent.accepted);
      const memory = processMemory(collector.pid);
      const step = {
        ...sent,
        meanBatch: pool.meanInvocations,
        maxBatch: Math.max(...pool.invocations),
        prometheusTotal: counted.total,
        prometheusHistogramCount: counted.histogramCount,
        exact: counted.exact && sent.non200 === 0,
        refusedPoints: await refusedPoints(collector),
        gatewayRssMiB: memory.rssMiB,
        gatewayPeakMiB: memory.peakMiB,
      };
      step.sustained = step.exact && step.achievedRate >= 0.95 * rate;
      steps.push(step);
      log(
        `  achieved ${step.achievedRate.toFixed(0)}/s, ${step.non200} non-200, p99 ${step.p99Ms.toFixed(1)} ms, Prometheus ${step.prometheusTotal} of ${sent.accepted}: ${step.sustained ? 'sustained' : 'NOT sustained'}`,
      );
      if (!step.sustained) break;
    }
  } finally {
    await collector.stop();
  }
  return steps;
}

/**
 * Waits (bounded: three flush intervals and 20 s) until Prometheus holds the
 * step's total in both the counter and the histogram count, then once more a
 * flush later, so a count that overshoots is caught too.
 */
async function waitForExact(serviceName, expected) {
  const read = async () => {
    const [total] = await prom.query(`sum(cli_command_invocations_total{service_name="${serviceName}"})`);
    const [histogramCount] = await prom.query(`sum(cli_command_duration_seconds_count{service_name="${serviceName}"})`);
    return { total: total?.value ?? 0, histogramCount: histogramCount?.value ?? 0 };
  };
  const until = Date.now() + 3 * flushMs + 20_000;
  let last = { total: null, histogramCount: null };
  while (Date.now() < until) {
    last = await read().catch(() => last);
    if (last.total === expected && last.histogramCount === expected) {
      await sleep(flushMs + 1_000);
      const again = await read();
      return { ...again, exact: again.total === expected && again.histogramCount === expected };
    }
    await sleep(500);
  }
  return { ...last, exact: false };
}

/**
 * Memory at scale: a fresh gateway whose remote write goes to a discarding
 * sink, filled with distinct attribute sets until delta_to_cumulative tracks
 * each target number of streams (two per set), RSS read after two flushes.
 */
async function fillSeries() {
  if (settings.series.length === 0) return [];
  const sink = await startDiscardingSink();
  const collector = await startGateway(sink.url);
  const rows = [];
  let sets = 0;
  try {
    for (const streams of settings.series) {
      const targetSets = Math.ceil(streams / 2);
      const bodies = [];
      for (let first = sets; first < targetSets; first += SETS_PER_REQUEST) {
        bodies.push(distinctSetRequest({ serviceName: 'capacity-series', firstSet: first, perRequest: Math.min(SETS_PER_REQUEST, targetSets - first) }));
      }
      log(`filling to ${streams} streams (${bodies.length} requests)...`);
      const agent = clientAgent(8);
      const answers = await runPool(
        bodies.map((body) => () => post(collector.otlpUrl, body, TOKEN, { agent, timeoutMs: 60_000 })),
        8,
      );
      agent.destroy();
      sets = targetSets;
      const flushed = await waitForFlush(sink);
      const memory = processMemory(collector.pid);
      const exported = await exportedPoints(collector);
      rows.push({
        streams,
        attributeSets: targetSets,
        prometheusSeries: targetSets * 21, // the counter, and the histogram's 18 buckets, sum and count
        tracked: await trackedStreams(collector),
        non200: answers.filter(({ status }) => status !== 200).length,
        flushedToSink: flushed,
        exportedPoints: exported.sent,
        exportFailedPoints: exported.failed,
        rssMiB: memory.rssMiB,
        peakMiB: memory.peakMiB,
      });
      log(
        `  ${streams} streams: RSS ${memory.rssMiB.toFixed(0)} MiB (peak ${memory.peakMiB.toFixed(0)}), tracked ${rows.at(-1).tracked}, exported ${exported.sent} points, ${exported.failed} failed`,
      );
    }
  } finally {
    await collector.stop();
    await sink.close();
  }
  return rows;
}

/**
 * Waits until the gateway has written to the sink after the fill and then
 * gone quiet for 1.5 flush intervals (its state written out at least once),
 * bounded by four flush intervals and 60 s. Returns whether a write arrived.
 */
async function waitForFlush(sink) {
  const until = Date.now() + 4 * flushMs + 60_000;
  const before = sink.requests;
  let seen = sink.requests;
  let quietSince = Date.now();
  while (Date.now() < until) {
    await sleep(250);
    if (sink.requests !== seen) {
      seen = sink.requests;
      quietSince = Date.now();
    } else if (seen > before && Date.now() - quietSince >= 1.5 * flushMs) return true;
  }
  return sink.requests > before;
}

function startGateway(remoteWriteUrl) {
  const [config, ...overlays] = settings.configs;
  return startCollector({
    config,
    overlays,
    env: {
      CMDTEL_COLLECTOR_TOKENS: `[${TOKEN}]`,
      CMDTEL_PROMETHEUS_RW_URL: remoteWriteUrl,
      CMDTEL_FLUSH_INTERVAL: settings.flushInterval,
      ...settings.extraEnv,
    },
  });
}

/** Sum of the collector's own metric lines named `name` (any labels) that match `filter`. */
async function internalSum(collector, name, filter = () => true) {
  const text = await collector.internalMetrics().catch(() => '');
  let sum = null;
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match && match[1] === name && filter(match[2] ?? '')) sum = (sum ?? 0) + Number(match[3]);
  }
  return sum;
}

/** Points delta_to_cumulative refused (any cause): any is a lost count. */
function refusedPoints(collector) {
  return internalSum(collector, 'otelcol_deltatocumulative_datapoints', (labels) => labels.includes('error="')).then((n) => n ?? 0);
}

/**
 * Points the remote-write exporter sent, and failed to send (dropped), since the gateway
 * started. After a fill, every stream is one point of a flush: sent should reach the
 * stream count and failed stay 0.
 */
async function exportedPoints(collector) {
  const ofExporter = (labels) => labels.includes('exporter="prometheus_remote_write"');
  const sum = async (name) => (await internalSum(collector, `${name}_total`, ofExporter)) ?? (await internalSum(collector, name, ofExporter)) ?? 0;
  return { sent: await sum('otelcol_exporter_sent_metric_points'), failed: await sum('otelcol_exporter_send_failed_metric_points') };
}

function trackedStreams(collector) {
  return internalSum(collector, 'otelcol_deltatocumulative_streams_tracked').then(
    (n) => n ?? internalSum(collector, 'otelcol_deltatocumulative_streams_tracked_linear'),
  );
}

function durationMs(text) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (!match) throw new Error(`--flush-interval: expected e.g. 5s or 500ms, got ${JSON.stringify(text)}`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2]];
}
