// Renders results as plain-text tables for the terminal and as the generated
// docs/benchmarks.md. Nothing here names a path of the machine.
import { cpus, loadavg, release, type } from 'node:os';

import { GATEWAY_END, GATEWAY_START, gatewaySection } from './gateway-page.js';
import { PHASE_RUNS } from './phases.js';

export const fmt = (value, digits = 1) => value.toFixed(digits);
const signed = (value, unit = 'ms') => `${value < 0 ? '−' : '+'}${fmt(Math.abs(value))} ${unit}`;
const ratioText = ({ ratio, interval }) => `${fmt(ratio, 2)}× (${fmt(interval[0], 2)}–${fmt(interval[1], 2)})`;

function timeTargetText(target) {
  if (target?.ratio !== undefined) return `≤ ${fmt(target.ratio, 2)}×`;
  if (target?.addedMs !== undefined) return `≤ +${target.addedMs} ms`;
  return '—';
}

const rssTargetText = (target) => (target?.rssAddedMiB === undefined ? '—' : `≤ +${target.rssAddedMiB} MiB`);

/** "met" or "not met"; "(within noise)" when the target lies inside the ratio's interval. */
function verdict(result) {
  if (result.pass === undefined) return '—';
  const noisy = result.timePass !== undefined && !result.timeClear ? ' (within noise)' : '';
  return `${result.pass ? 'met' : 'NOT MET'}${noisy}`;
}

const ALL_HEADER = ['Variant', 'Runs', 'Median ms', 'p90 ms', 'Ratio (95% CI), added', 'Peak RSS MiB (added)', 'Time target', 'RSS target', 'Result'];

function allRows(results) {
  return results.map((result) => {
    const { variant, skipped } = result;
    if (skipped) return [variant.label, '0', '—', '—', '—', '—', timeTargetText(variant.target), rssTargetText(variant.target), 'not run'];
    const ratio = result.baseline ? '1.00× (baseline)' : `${ratioText(result)}, ${signed(result.addedMs)}`;
    const rss = result.baseline ? fmt(result.rssMiB) : `${fmt(result.rssMiB)} (${signed(result.rssAddedMiB, 'MiB')})`;
    return [
      variant.label,
      String(result.runs),
      fmt(result.median),
      fmt(result.p90),
      ratio,
      rss,
      timeTargetText(variant.target),
      rssTargetText(variant.target),
      verdict(result),
    ];
  });
}

function markdown(header, body, numeric) {
  const line = (row) => `| ${row.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (numeric.includes(i) ? '---:' : '---'))), ...body.map(line)].join('\n');
}

function text(header, body) {
  const all = [header, ...body];
  const widths = header.map((_, column) => Math.max(...all.map((row) => [...row[column]].length)));
  const line = (row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ');
  return [line(all[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...all.slice(1).map(line)].join('\n');
}

/** Every row, for the terminal. */
export function textTable(results) {
  return text(ALL_HEADER, allRows(results));
}

/** Every row, for the page. */
export function markdownTable(results) {
  return markdown(ALL_HEADER, allRows(results), [1, 2, 3, 4, 5]);
}

const TARGET_HEADER = ['Row', 'Ratio (95% CI)', 'Added', 'Time target', 'Peak RSS added', 'RSS target', 'Result'];

/** The rows that carry an issue-12 target: one line each, ratio and RSS against target. */
export function targetTable(results) {
  const body = results
    .filter(({ variant }) => variant.target?.ratio !== undefined)
    .map((result) => {
      const { variant, skipped } = result;
      if (skipped) return [variant.label, '—', '—', timeTargetText(variant.target), '—', rssTargetText(variant.target), 'not run'];
      return [
        variant.label,
        ratioText(result),
        signed(result.addedMs),
        timeTargetText(variant.target),
        signed(result.rssAddedMiB, 'MiB'),
        rssTargetText(variant.target),
        verdict(result),
      ];
    });
  return markdown(TARGET_HEADER, body, [1, 2, 4]);
}

const SIDE_HEADER = ['What the CLI does for telemetry', 'Median ms', 'Ratio (95% CI)', 'Added per command', 'Peak RSS MiB (added)'];

/** cmdtel's delivery rows beside the alternatives, from the same interleaved run. */
export function sideBySideTable(results) {
  // The baseline, cmdtel's background rows, its inline row, then the alternatives.
  const place = ({ variant }, index) =>
    index === 0 ? 0 : variant.background ? 1 : variant.id === 'inline-reachable' ? 2 : variant.kind === 'alternative' ? 3 : undefined;
  const shown = results
    .map((result, index) => ({ result, group: place(result, index), index }))
    .filter(({ group }) => group !== undefined)
    .sort((a, b) => a.group - b.group || a.index - b.index)
    .map(({ result }) => result);
  const body = shown.map((result) => {
    const { variant, skipped } = result;
    const label = variant.kind === 'alternative' || variant.kind === 'reference' ? variant.label : `cmdtel: ${variant.label}`;
    if (skipped) return [label, '—', '—', '—', `not run: ${skipped}`];
    if (result.baseline) return [label, fmt(result.median), '1.00×', '—', fmt(result.rssMiB)];
    return [label, fmt(result.median), ratioText(result), signed(result.addedMs), `${fmt(result.rssMiB)} (${signed(result.rssAddedMiB, 'MiB')})`];
  });
  return markdown(SIDE_HEADER, body, [1, 2, 3, 4]);
}

/** Median milliseconds per phase, one column per variant (markdown, also readable as text). */
export function phaseTable(breakdown) {
  const header = ['Phase (median ms)', ...breakdown.map(({ variant }) => variant.label)];
  const names = breakdown[0]?.phases.map(([name]) => name) ?? [];
  const body = names.map((name, i) => [name, ...breakdown.map(({ phases }) => fmt(phases[i][1]))]);
  return markdown(
    header,
    body,
    breakdown.map((_, i) => i + 1),
  );
}

/** What did not meet its target, by how much, or was not run: for the page and the terminal. */
export function findings(results) {
  const baseMedian = results[0].median;
  const notes = [];
  for (const result of results) {
    const { variant, skipped } = result;
    if (skipped) {
      notes.push(`${variant.label}: not run — ${skipped}.`);
      continue;
    }
    if (result.timePass === false && variant.target.ratio !== undefined) {
      notes.push(
        `${variant.label}: ${ratioText(result)} against ≤ ${fmt(variant.target.ratio, 2)}×, ${signed(result.addedMs)} per command where the target allows ${signed(baseMedian * (variant.target.ratio - 1))}.`,
      );
    } else if (result.timePass === false) notes.push(`${variant.label}: +${fmt(result.addedMs)} ms against a bound of +${variant.target.addedMs} ms.`);
    if (result.rssPass === false) notes.push(`${variant.label}: peak RSS ${signed(result.rssAddedMiB, 'MiB')} against ≤ +${variant.target.rssAddedMiB} MiB.`);
  }
  return notes;
}

/** The bare CLI's row as a note: what Node's first package resolution costs, which the baseline includes. */
function bareNote(results) {
  const bare = results.find(({ variant }) => variant.id === 'bare');
  if (bare === undefined || bare.skipped) return '';
  return `The baseline is a CLI that imports one tiny package by name: every real CLI pays Node's first package resolution. A bare CLI with no dependency at all takes ${fmt(bare.median)} ms (${signed(bare.addedMs)} against the baseline).`;
}

/** Figures not to quote, and why: too few rounds, or a machine busy with other work. */
export function preliminary({ rounds, load, cores, fullRounds = 35 }) {
  const reasons = [];
  if (rounds < fullRounds) reasons.push(`${rounds} timed runs per variant instead of ${fullRounds}`);
  if (load > cores) reasons.push(`a load average of ${fmt(load, 1)} on ${cores} cores`);
  if (reasons.length === 0) return '';
  return `\n> **Preliminary figures**: ${reasons.join(' and ')}. They show the layout and the order of magnitude only; regenerate with the repository's bench (\`bench/run.js\`) on a quiet machine before quoting them.\n`;
}

/**
 * The whole page. `gateway` is the gateway-capacity section's markdown (kept
 * between its markers so bench/gateway-capacity.js can replace it alone).
 */
export function renderPage({ results, breakdown, senders, rounds, rssMethod, elapsedMs, loadBefore, gateway, date = new Date() }) {
  const cpu = cpus();
  const caveat = preliminary({ rounds, load: Math.max(loadBefore[0], loadavg()[0]), cores: cpu.length });
  const issues = findings(results);
  const anyBackground = results.some((result) => result.variant.background && !result.skipped);
  return `# Benchmarks

<!-- Generated by the repository's bench (bench/run.js); edit the bench, not this page. -->

What cmdtel adds to a command, measured as whole processes: each row runs a
tiny CLI (\`bench/fixtures/\`) from spawn to exit, against the same CLI with
one dependency and no telemetry (the fair baseline: every real CLI pays Node's
first package resolution). Beside cmdtel's rows, in the same interleaved run,
what a CLI author would otherwise write: the OpenTelemetry SDK as its docs
show it, and posthog-node configured for short processes.
${caveat}
## Targets

Ratio of medians against the one-dependency CLI, with its 95% bootstrap
interval; peak RSS of the command process against the same CLI's.
"(within noise)" marks a verdict whose interval contains the target.

${targetTable(results)}

${issues.length === 0 ? 'Every target met.' : `Not met or not run:\n\n${issues.map((note) => `- ${note}`).join('\n')}`}

## Side by side with what users would pick instead

${sideBySideTable(results)}

- OpenTelemetry SDK: \`MeterProvider\` + \`PeriodicExportingMetricReader\` +
  \`OTLPMetricExporter\` (OTLP/HTTP, delta), a counter and a histogram, \`await
  provider.shutdown()\` (\`bench/fixtures/otel-sdk-cli.js\`), loaded unbundled
  from node_modules. Its refusing and never-answering rows take seconds per
  run, so they run in ${results.find(({ variant }) => variant.runs)?.variant.runs ?? 'a few'} of the rounds.
- posthog-node ${'`'}flushAt: 1${'`'}, ${'`'}flushInterval: 0${'`'}, awaited ${'`'}shutdown()${'`'}, host a loopback
  listener answering 200 (\`bench/fixtures/posthog-cli.js\`); installed for the
  bench only (\`bench/alternatives\`, with its own lock file).

## All rows

${markdownTable(results)}
${anyBackground ? `\nBackground senders seen: ${senders.distinct}; still running at the end: ${senders.atEnd}, of which ${senders.exitedOnTheirOwn} exited on their own and ${senders.terminated} had to be stopped.\n${senderSplitNote(results)}` : ''}
${bareNote(results)}

## Where the time goes

\`bench/fixtures/phases-cli.js\` is the instrumented CLI with a clock read
between its steps; median milliseconds over ${PHASE_RUNS} runs per variant. "node start"
is spawn until the script's first line (the same for every variant; it
includes Node's own start-up), "load cmdtel" the \`import('cmdtel')\`, and
"exit after shutdown" the time from \`shutdown()\` resolving to the process
having exited.

${phaseTable(breakdown)}

${GATEWAY_START}
${gateway ?? gatewaySection(undefined)}
${GATEWAY_END}

## Machine

- ${cpu.length} cores, ${cpu[0]?.model.trim() ?? 'unknown CPU'}
- Node ${process.version}, ${type()} ${release()}
- ${date.toISOString().slice(0, 10)}; ${rounds} timed runs per variant (fewer where the table says so), ${fmt(elapsedMs / 1000, 0)} s in all
- load average (1 min) ${fmt(loadBefore[0], 2)} before the run, ${fmt(loadavg()[0], 2)} after: other work on the machine widens the spread, interleaving keeps it from favouring a variant

## Method

- \`bench/fixtures/one-dependency-cli.js\` imports one tiny package by name,
  parses its arguments, reads a small JSON file and prints one line.
  \`bench/fixtures/cmdtel-cli.js\` does the same work and uses cmdtel as
  \`examples/notes/cli.js\` does (\`createTelemetry\`, \`start\`, \`end\`,
  \`await shutdown()\`), importing the built package (\`import 'cmdtel'\`).
- Each variant is one of those CLIs under different \`BENCH_*\` variables,
  with HOME, the XDG directories, TMPDIR and the config dir in a temporary
  directory of its own, and nothing inherited that could switch telemetry on
  or off. The home persists across a variant's runs, so a background sender
  started by one run is found by the next or has idled out, as in real use;
  the first-run row gets a new empty home every run (the sender its run
  started is ended before the row's next run: a home used once would leave
  one idle sender per run, which no real user has). Collectors are HTTP
  servers on 127.0.0.1 started by the bench: one answering 200 at once, one
  answering 200 after 300 ms, one that accepts and never answers, and a port
  that refuses.
- Before timing, each variant runs once with its output checked: the command's
  output is intact, nothing is written to stderr, and what should arrive did
  (a file line, a request during the run for inline delivery and the
  alternatives, a request from the sender afterwards for background delivery).
- Wall time is from \`spawn\` to the process's exit. Every round runs every
  variant once, in a fresh random order, so drift in the machine's load hits all
  variants alike; 2 warm-up rounds are discarded. Median and p90 over the timed
  runs; the ratio is median / baseline median, with a 95% percentile-bootstrap
  interval (2,000 resamples of both samples).
- Peak RSS: ${rssMethod}. Measured in a separate interleaved pass after the
  timed rounds (median of its runs), so the wrapper never adds to a timed run.
- Targets (issue 12, against the one-dependency CLI): off ≤ 1.02×; file sink
  ≤ 1.05×; background delivery ≤ 1.05× whether the collector is reachable,
  refusing, never answering or 300 ms away; the first run in a fresh home
  ≤ 1.25×; inline to a reachable collector ≤ 1.5×; peak RSS ≤ +3 MiB. Issue 2's
  bound for inline delivery to a bad collector: the timeout plus 250 ms.
- Background delivery: only the command's wall time counts. Each background
  variant has its own spool (\`BENCH_TELEMETRY_SPOOL_DIR\` in its home) and
  the sender's default timings. After each such run the bench waits until the
  sender has exited or stopped using CPU, so its work is not charged to the
  next variant; at the end any sender still running gets a few seconds to idle
  out, then is stopped by pid (found by its spool path).

<!-- repository-only -->
## Reproduce (in a clone of the repository)

\`\`\`sh
npm run bench                      # all rows (installs bench/alternatives), writes this page
node bench/inline-overhead.js      # issue 2's rows only, prints the table
node bench/background-delivery.js  # background delivery rows only
node bench/side-by-side.js         # cmdtel beside the OpenTelemetry SDK and posthog-node
node bench/where-time-goes.js      # the phase split only
node bench/gateway-capacity.js     # the gateway section (real collector + Prometheus)
npm run bench:compare -- <rev>     # this tree beside another revision's build, same rounds (prints only)
\`\`\`

\`BENCH_ROUNDS\` sets the timed runs per variant (default 35), \`BENCH_RSS_RUNS\`
the peak-RSS runs (default 5).
<!-- /repository-only -->
`;
}

/**
 * How each background row's runs split: a run that found a sender running (or cooling down) only
 * appends and checks the lock; a run after the last sender idled out (30 s without work) starts one. Linux only:
 * elsewhere the bench cannot see the senders.
 */
export function senderSplitNote(results) {
  if (process.platform !== 'linux') return '';
  const part = (summary) => (summary === undefined ? 'none' : `${summary.runs} runs: median ${fmt(summary.median)} ms, ${fmt(summary.ratio, 2)}×`);
  const lines = results
    .filter((result) => result.senders !== undefined && !result.variant.freshHome)
    .map((result) => `| ${result.variant.label} | ${part(result.senders.found)} | ${part(result.senders.started)} |`);
  if (lines.length === 0) return '';
  return `
A background row mixes two kinds of run: one that finds a sender running (or cooling down) only appends
and checks the lock; one that comes after the last sender idled out (30 s without work) starts a new one.
Rounds with the slow rows take longer than 30 s, so both occur; their medians, against the baseline:

| Row | Runs that found a sender | Runs that started one |
| --- | --- | --- |
${lines.join('\n')}
`;
}
