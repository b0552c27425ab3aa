// Every configuration the benchmarks time, defined once so claims that share
// a row (the bare baseline, inline OTLP) measure it once in a combined run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './harness.js';

const DEFAULT_TIMEOUT_MS = 1500;
/** The tests' bound on added exit time against a bad collector: the timeout plus 250 ms. */
const bounded = (timeoutMs) => ({ addedMs: timeoutMs + 250 });

/** A URL alone does not switch telemetry on (the user must opt in), hence ENABLED. */
/** The spool goes in the variant's own temporary home, so variants never share a backlog. */
const otlp = (collector, delivery, extra = {}) => (collectors, home) => ({
  BENCH_TELEMETRY_ENABLED: '1',
  BENCH_TELEMETRY_URL: collectors[collector].url,
  BENCH_TELEMETRY_DELIVERY: delivery,
  ...(delivery === 'background' ? { BENCH_TELEMETRY_SPOOL_DIR: join(home, 'spool') } : {}),
  ...extra,
});

/** The collector got a request during the run itself (inline delivery). */
const receivedDuringRun = (collector) => ({ collectors, before }) =>
  collectors[collector].requests > before[collector] ? undefined : `the ${collector} collector received nothing`;

/** The collector got a request eventually, from the sender the run left behind. */
const receivedLater = (collector) => async ({ collectors, before }) =>
  (await eventually(() => collectors[collector].requests > before[collector])) ? undefined : `the ${collector} collector received nothing within 10 s`;

const noRequests = ({ collectors, before }) =>
  Object.keys(before).every((name) => collectors[name].requests === before[name]) ? undefined : 'a collector received a request';

export const VARIANTS = {
  bare: { id: 'bare', label: 'bare Node CLI (baseline)', script: 'bare' },
  oneDependency: { id: 'one-dependency', label: 'reference: bare CLI + one tiny package, no cmdtel', script: 'oneDependency' },
  off: { id: 'off', label: 'cmdtel imported, off', script: 'cmdtel', target: { ratio: 1.02 }, check: noRequests },
  file: {
    id: 'file',
    label: 'file sink',
    script: 'cmdtel',
    vars: (collectors, home) => ({ BENCH_TELEMETRY_FILE: join(home, 'events.jsonl') }),
    target: { ratio: 1.05 },
    check: ({ home }) => {
      const file = join(home, 'events.jsonl');
      return existsSync(file) && readFileSync(file, 'utf8').split('\n').filter(Boolean).length === 1 ? undefined : 'the file sink did not get one line';
    },
  },
  inlineReachable: { id: 'inline-reachable', label: 'OTLP inline, collector reachable', script: 'cmdtel', vars: otlp('reachable', 'inline'), target: { ratio: 1.6 }, check: receivedDuringRun('reachable') },
  inlineRefusing: { id: 'inline-refusing', label: 'OTLP inline, collector refusing', script: 'cmdtel', vars: otlp('refusing', 'inline'), target: bounded(DEFAULT_TIMEOUT_MS) },
  inlineHanging: { id: 'inline-hanging', label: 'OTLP inline, collector never answers (timeout 1500 ms)', script: 'cmdtel', vars: otlp('hanging', 'inline'), target: bounded(DEFAULT_TIMEOUT_MS), check: receivedDuringRun('hanging') },
  inlineHangingShort: {
    id: 'inline-hanging-200',
    label: 'OTLP inline, collector never answers (timeout 200 ms)',
    script: 'cmdtel',
    vars: otlp('hanging', 'inline', { BENCH_TELEMETRY_TIMEOUT_MS: '200' }),
    target: bounded(200),
  },
  inlineDelayed: { id: 'inline-delayed', label: 'OTLP inline, collector 300 ms away', script: 'cmdtel', vars: otlp('delayed', 'inline'), check: receivedDuringRun('delayed') },
  backgroundReachable: { id: 'background-reachable', label: 'OTLP background, collector reachable', script: 'cmdtel', vars: otlp('reachable', 'background'), target: { ratio: 1.1 }, background: true, check: receivedLater('reachable') },
  backgroundRefusing: { id: 'background-refusing', label: 'OTLP background, collector refusing', script: 'cmdtel', vars: otlp('refusing', 'background'), target: { ratio: 1.1 }, background: true },
  backgroundHanging: { id: 'background-hanging', label: 'OTLP background, collector never answers', script: 'cmdtel', vars: otlp('hanging', 'background'), target: { ratio: 1.1 }, background: true, check: receivedLater('hanging') },
  backgroundDelayed: { id: 'background-delayed', label: 'OTLP background, collector 300 ms away', script: 'cmdtel', vars: otlp('delayed', 'background'), target: { ratio: 1.1 }, background: true, check: receivedLater('delayed') },
};
