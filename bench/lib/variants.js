// Every configuration the benchmarks time, defined once so claims that share
// a row (the bare baseline, inline OTLP) measure it once in a combined run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './harness.js';

const DEFAULT_TIMEOUT_MS = 1500;
/** Issue 12: peak RSS of the command at most 3 MiB over the one-dependency CLI. */
const RSS_MIB = 3;
/** A ratio target (against the one-dependency CLI) together with the RSS target. */
const within = (ratio) => ({ ratio, rssAddedMiB: RSS_MIB });
/** Rows that take seconds per run: enough runs to show the scale, not to fill ten minutes. */
const SLOW_RUNS = 5;
/** The tests' bound on added exit time against a bad collector: the timeout plus 250 ms. */
const bounded = (timeoutMs) => ({ addedMs: timeoutMs + 250 });

/** A URL alone does not switch telemetry on (the user must opt in), hence ENABLED. */
/** The spool goes in the variant's own temporary home, so variants never share a backlog. */
const otlp =
  (collector, delivery, extra = {}) =>
  (collectors, home) => ({
    BENCH_TELEMETRY_ENABLED: '1',
    BENCH_TELEMETRY_URL: collectors[collector].url,
    BENCH_TELEMETRY_DELIVERY: delivery,
    ...(delivery === 'background' ? { BENCH_TELEMETRY_SPOOL_DIR: join(home, 'spool') } : {}),
    ...extra,
  });

/** The collector got a request during the run itself (inline delivery). */
const receivedDuringRun =
  (collector) =>
  ({ collectors, before }) =>
    collectors[collector].requests > before[collector] ? undefined : `the ${collector} collector received nothing`;

/** The collector got a request eventually, from the sender the run left behind. */
const receivedLater =
  (collector) =>
  async ({ collectors, before }) =>
    (await eventually(() => collectors[collector].requests > before[collector])) ? undefined : `the ${collector} collector received nothing within 10 s`;

const noRequests = ({ collectors, before }) =>
  Object.keys(before).every((name) => collectors[name].requests === before[name]) ? undefined : 'a collector received a request';

/** The OpenTelemetry SDK fixture pointed at one of the collectors. */
const sdk = (collector) => (collectors) => ({ BENCH_OTLP_URL: collectors[collector].url });

export const VARIANTS = {
  oneDependency: { id: 'one-dependency', label: 'CLI with one dependency, no telemetry (baseline)', script: 'oneDependency', kind: 'reference' },
  bare: { id: 'bare', label: 'bare Node CLI, no dependency at all', script: 'bare', kind: 'reference' },
  off: { id: 'off', label: 'cmdtel imported, off', script: 'cmdtel', target: within(1.02), check: noRequests },
  file: {
    id: 'file',
    label: 'file sink',
    script: 'cmdtel',
    vars: (collectors, home) => ({ BENCH_TELEMETRY_FILE: join(home, 'events.jsonl') }),
    target: within(1.05),
    check: ({ home }) => {
      const file = join(home, 'events.jsonl');
      return existsSync(file) && readFileSync(file, 'utf8').split('\n').filter(Boolean).length === 1 ? undefined : 'the file sink did not get one line';
    },
  },
  inlineReachable: {
    id: 'inline-reachable',
    label: 'OTLP inline, collector reachable',
    script: 'cmdtel',
    vars: otlp('reachable', 'inline'),
    target: within(1.5),
    check: receivedDuringRun('reachable'),
  },
  inlineRefusing: {
    id: 'inline-refusing',
    label: 'OTLP inline, collector refusing',
    script: 'cmdtel',
    vars: otlp('refusing', 'inline'),
    target: bounded(DEFAULT_TIMEOUT_MS),
  },
  inlineHanging: {
    id: 'inline-hanging',
    label: 'OTLP inline, collector never answers (timeout 1500 ms)',
    script: 'cmdtel',
    vars: otlp('hanging', 'inline'),
    target: bounded(DEFAULT_TIMEOUT_MS),
    check: receivedDuringRun('hanging'),
  },
  inlineHangingShort: {
    id: 'inline-hanging-200',
    label: 'OTLP inline, collector never answers (timeout 200 ms)',
    script: 'cmdtel',
    vars: otlp('hanging', 'inline', { BENCH_TELEMETRY_TIMEOUT_MS: '200' }),
    target: bounded(200),
  },
  inlineDelayed: {
    id: 'inline-delayed',
    label: 'OTLP inline, collector 300 ms away',
    script: 'cmdtel',
    vars: otlp('delayed', 'inline'),
    check: receivedDuringRun('delayed'),
  },
  backgroundFirstRun: {
    id: 'background-first-run',
    label: 'OTLP background, first run in a fresh home (starts a sender)',
    script: 'cmdtel',
    vars: otlp('reachable', 'background'),
    target: within(1.25),
    background: true,
    freshHome: true,
    check: receivedLater('reachable'),
  },
  sdkReachable: {
    id: 'otel-sdk-reachable',
    label: 'OpenTelemetry SDK as documented, collector reachable',
    script: 'otelSdk',
    kind: 'alternative',
    vars: sdk('reachable'),
    check: receivedDuringRun('reachable'),
  },
  sdkRefusing: {
    id: 'otel-sdk-refusing',
    label: 'OpenTelemetry SDK as documented, collector refusing',
    script: 'otelSdk',
    kind: 'alternative',
    vars: sdk('refusing'),
    runs: SLOW_RUNS,
  },
  sdkHanging: {
    id: 'otel-sdk-hanging',
    label: 'OpenTelemetry SDK as documented, collector never answers',
    script: 'otelSdk',
    kind: 'alternative',
    vars: sdk('hanging'),
    runs: SLOW_RUNS,
    check: receivedDuringRun('hanging'),
  },
  posthog: {
    id: 'posthog-reachable',
    label: 'posthog-node (flushAt 1, awaited shutdown), host reachable',
    script: 'posthog',
    kind: 'alternative',
    needs: 'posthog-node',
    vars: (collectors) => ({ BENCH_POSTHOG_HOST: collectors.reachable.url }),
    check: receivedDuringRun('reachable'),
  },
  backgroundReachable: {
    id: 'background-reachable',
    label: 'OTLP background, collector reachable',
    script: 'cmdtel',
    vars: otlp('reachable', 'background'),
    target: within(1.05),
    background: true,
    check: receivedLater('reachable'),
  },
  backgroundRefusing: {
    id: 'background-refusing',
    label: 'OTLP background, collector refusing',
    script: 'cmdtel',
    vars: otlp('refusing', 'background'),
    target: within(1.05),
    background: true,
  },
  backgroundHanging: {
    id: 'background-hanging',
    label: 'OTLP background, collector never answers',
    script: 'cmdtel',
    vars: otlp('hanging', 'background'),
    target: within(1.05),
    background: true,
    check: receivedLater('hanging'),
  },
  backgroundDelayed: {
    id: 'background-delayed',
    label: 'OTLP background, collector 300 ms away',
    script: 'cmdtel',
    vars: otlp('delayed', 'background'),
    target: within(1.05),
    background: true,
    check: receivedLater('delayed'),
  },
};
