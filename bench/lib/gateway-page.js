// The gateway-capacity results (bench/results/gateway-capacity.json, written
// by bench/gateway-capacity.js) as the benchmark page's section and as
// docs/collector.md's sizing table. Both live between markers so either
// script can replace its part of a page without touching the rest.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RESULTS_FILE = fileURLToPath(new URL('../results/gateway-capacity.json', import.meta.url));
export const GATEWAY_START = '<!-- gateway-capacity:start (bench/gateway-capacity.js) -->';
export const GATEWAY_END = '<!-- gateway-capacity:end -->';
export const SIZING_START = '<!-- gateway-sizing:start (bench/gateway-capacity.js) -->';
export const SIZING_END = '<!-- gateway-sizing:end -->';

/** The planning rules behind the sizing table, stated on both pages. */
export const SIZING = {
  /** Plan each gateway for this share of its measured sustained rate. */
  headroom: 0.5,
  /** Busiest minute against the day's average rate: working hours and CI bursts. */
  peakToAverage: 10,
  /** Never fewer than two gateways: one can restart while the other takes the traffic. */
  minimum: 2,
};

const FLEETS = [1_000, 10_000, 100_000, 1_000_000];
const PER_MACHINE_PER_DAY = [20, 200];

const fmt = (value, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The last saved results, or undefined when the gateway bench has not run. */
export function readGatewayResults(file = RESULTS_FILE) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/** The machine had more runnable work than cores during the run. */
const isLoaded = (results) => results.cores !== undefined && Math.max(results.loadBefore, results.loadAfter) > results.cores;

/** Gateways for a daily volume at a measured sustained rate, by the SIZING rules. */
export function gatewaysFor(invocationsPerDay, sustainedRate) {
  const peakRate = (invocationsPerDay / 86_400) * SIZING.peakToAverage;
  return Math.max(SIZING.minimum, Math.ceil(peakRate / (sustainedRate * SIZING.headroom)));
}

function stepTable(steps) {
  const header = '| Offered invocations/s | Achieved | Requests | Invocations sent | In Prometheus | Exact | Non-200 | p50 ms | p99 ms | Gateway RSS MiB |';
  const align = '| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |';
  const rows = steps.map(
    (s) =>
      `| ${fmt(s.targetRate)} | ${fmt(s.achievedRate)} | ${fmt(s.requests)} | ${fmt(s.invocations)} | ${s.prometheusTotal === null ? '—' : fmt(s.prometheusTotal)} | ${s.exact ? 'yes' : 'NO'} | ${fmt(s.non200)} | ${fmt(s.p50Ms, 1)} | ${fmt(s.p99Ms, 1)} | ${fmt(s.gatewayRssMiB)} |`,
  );
  return [header, align, ...rows].join('\n');
}

function seriesTable(series) {
  const header =
    '| Live series (delta_to_cumulative streams) | Attribute sets | Prometheus series | Requests refused | Tracked by the gateway | Points exported (failed) | RSS after the flush, MiB | Peak RSS, MiB | Target (peak) |';
  const align = '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |';
  // Results saved before the export counts were recorded have no exportedPoints.
  const exportKnown = (s) => s.exportedPoints !== undefined;
  const verdict = (s) => {
    if (s.streams < 100_000) return '—';
    const held = s.tracked === null || s.tracked >= s.streams;
    const written = !exportKnown(s) || (s.exportFailedPoints === 0 && s.exportedPoints >= s.streams);
    const why = [held ? '' : `only ${fmt(s.tracked)} streams held`, written ? '' : 'not all written out'].filter(Boolean);
    return `≤ 512 MiB: ${s.peakMiB <= 512 && held && written ? 'met' : 'NOT MET'}${why.length > 0 ? ` (${why.join('; ')})` : ''}`;
  };
  const exported = (s) => (exportKnown(s) ? `${fmt(s.exportedPoints)} (${fmt(s.exportFailedPoints)})` : '—');
  const rows = series.map(
    (s) =>
      `| ${fmt(s.streams)} | ${fmt(s.attributeSets)} | ${fmt(s.prometheusSeries)} | ${fmt(s.non200)} | ${s.tracked === null ? '—' : fmt(s.tracked)} | ${exported(s)} | ${fmt(s.rssMiB)}${s.flushedToSink ? '' : ' (no flush seen)'} | ${fmt(s.peakMiB)} | ${verdict(s)} |`,
  );
  return [header, align, ...rows].join('\n');
}

/** The gateway process's runtime environment during the run (GOMEMLIMIT), as `KEY=value` code spans; '' when none was recorded. */
const runtimeEnvText = (results) =>
  Object.entries(results.runtimeEnv ?? {})
    .map(([key, value]) => `\`${key}=${value}\``)
    .join(', ');

/** The gateway process's runtime environment during the run, as a sentence. */
function runtimeLine(results) {
  const env = runtimeEnvText(results);
  if (env === '') return 'The gateway ran without GOMEMLIMIT (results saved before the bench set it).';
  return `The gateway ran with ${env} (docs/collector.md, "Memory") and the configs' defaults.`;
}

/** The benchmark page's gateway section (markdown, without the markers). */
export function gatewaySection(results) {
  if (results === undefined) {
    return `## Gateway capacity

Not measured yet: run \`node bench/gateway-capacity.js\` (real collector and
Prometheus; a few minutes).`;
  }
  const sustained = results.sustained;
  const rateVerdict = sustained === null ? 'NOT MET (no step was sustained exactly)' : sustained.rate >= 2000 ? 'met' : 'NOT MET';
  const partial = results.partial ? `\n**A small validation run, not a capacity figure**: ${results.partial}.\n` : '';
  const loaded = isLoaded(results)
    ? `\n**Preliminary**: measured with a load average of ${fmt(Math.max(results.loadBefore, results.loadAfter), 1)} on ${results.cores} cores (other work on the machine); re-run on a quiet machine before quoting.\n`
    : '';
  return `## Gateway capacity

The real collector (\`${results.configs.join('` + `')}\`) in front of a real
Prometheus on this machine, fed requests shaped like the background sender's:
OTLP/HTTP JSON, delta temporality, ${results.shape}. At most ${fmt(results.clients)} requests
in flight on kept-alive connections (as a load balancer in front of the
gateway holds them). The offered rate steps up
(steps run: ${results.steps.map((s) => fmt(s.targetRate)).join(', ')} invocations/s, ${results.stepSeconds} s each, each step its own
\`service.name\`); after each step the bench waits for Prometheus to hold the
step's total and compares it exactly. It stops at the first step that is not
sustained (achieved < 95% of offered, a non-200 answer, or an inexact count).
${partial}${loaded}
${stepTable(results.steps)}

- Highest sustained rate with exact counts: **${sustained === null ? 'none' : `${fmt(sustained.rate)} invocations/s`}**${sustained === null ? '' : `, p99 request latency ${fmt(sustained.p99Ms, 1)} ms`} (target ≥ 2,000 invocations/s per gateway: ${rateVerdict}).
- Flush interval during the bench: ${results.flushInterval}.

Memory at scale: distinct attribute sets (two streams each: the counter and
the histogram) sent until delta_to_cumulative tracks the given number of
streams; remote write goes to a loopback endpoint that answers 204 and
discards (a million Prometheus series would measure Prometheus, not the
gateway). RSS is the collector process's VmRSS once its state has been
written out and it has gone quiet; peak is its VmHWM (a flush is the spike:
the remote-write exporter encodes what it is given at once, which
\`batch/split\` limits to 1,000 points). A refused request is the
memory limiter answering a retryable error (the sender would retry it later).
Points exported are the remote-write exporter's own count since start (every
stream is one point of a flush, so it reaches the stream count when the whole
state was written out); failed points were dropped by the exporter.
${runtimeLine(results)}

${seriesTable(results.series)}

${results.date}; ${results.machine}; load average (1 min) ${fmt(results.loadBefore, 2)} before, ${fmt(results.loadAfter, 2)} after; ${fmt(results.elapsedSeconds)} s in all.`;
}

/** docs/collector.md's sizing table (markdown, without the markers). */
export function sizingSection(results) {
  if (results?.sustained == null) {
    return 'No measured sustained rate yet: run `node bench/gateway-capacity.js` to fill this table.';
  }
  const rate = results.sustained.rate;
  const header = `| Machines running the CLI | ${PER_MACHINE_PER_DAY.map((n) => `${n} invocations/day each`).join(' | ')} |`;
  const align = `| ---: | ${PER_MACHINE_PER_DAY.map(() => '---:').join(' | ')} |`;
  const rows = FLEETS.map(
    (fleet) => `| ${fmt(fleet)} | ${PER_MACHINE_PER_DAY.map((n) => `${fmt(fleet * n)}/day → ${gatewaysFor(fleet * n, rate)}`).join(' | ')} |`,
  );
  const caveats = [results.partial ? 'a small validation run' : '', isLoaded(results) ? 'on a loaded machine' : ''].filter(Boolean);
  return `Measured by \`bench/gateway-capacity.js\` (${results.date}, ${results.machine}${caveats.length > 0 ? `; preliminary: ${caveats.join(', ')}, to be replaced by a full run on a quiet machine` : ''}): one gateway
sustained **${fmt(rate)} invocations/s** with exact counts in Prometheus. Planning
rules: each gateway is planned at ${SIZING.headroom * 100}% of that rate; the busiest minute
carries ${SIZING.peakToAverage}× the day's average rate; never fewer than ${SIZING.minimum} gateways.
Gateways = max(${SIZING.minimum}, ⌈invocations per day ÷ 86,400 × ${SIZING.peakToAverage} ÷ (${fmt(rate)} × ${SIZING.headroom})⌉).

${[header, align, ...rows].join('\n')}

Memory follows the number of live series (attribute sets × 2 streams), not
the fleet: ${results.series.map((s) => `${fmt(s.streams)} streams → ${fmt(s.peakMiB)} MiB peak`).join(', ')} on the bench machine
(${runtimeEnvText(results) || 'no GOMEMLIMIT'}, the configs' defaults).
Keep \`CMDTEL_MAX_SERIES\`, \`CMDTEL_MEMORY_LIMIT_MIB\` and \`GOMEMLIMIT\` in step with it (see "Memory" below).`;
}

/** Replaces the text between `start` and `end` in a file; appends the block when the markers are missing. */
export function spliceBetween(file, start, end, body, { heading = '' } = {}) {
  const page = readFileSync(file, 'utf8');
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  const block = `${start}\n${body}\n${end}`;
  const next = from !== -1 && to > from ? `${page.slice(0, from)}${block}${page.slice(to + end.length)}` : `${page.trimEnd()}\n\n${heading}${block}\n`;
  writeFileSync(file, next);
}
