// Two builds of cmdtel side by side: every row run by this tree's build and by another
// revision's, in the same interleaved rounds, so a change is judged against the same machine
// minutes rather than against a page written on another day (the baseline's median alone moves by a
// few milliseconds between runs on a 2-core machine, more than the tightest targets allow).
import { fmt } from './page.js';
import { median, ratioInterval } from './stats.js';

/** The variants to time: the baseline, then each row twice — this build's, then the other's. */
export function pairVariants(baseline, rows, name) {
  const paired = [baseline];
  for (const row of rows) {
    paired.push(row, { ...row, id: `${row.id}@${name}`, label: `${row.label} (${name})`, script: `cmdtel@${name}` });
  }
  return paired;
}

/**
 * One line per row: both medians, each against the baseline, and this build against the other
 * directly (median ratio with its 95% bootstrap interval). "same within noise" when that interval
 * holds 1.
 */
export function comparisonRows(results, name) {
  const byId = new Map(results.map((result) => [result.variant.id, result]));
  const rows = [];
  for (const result of results) {
    const other = byId.get(`${result.variant.id}@${name}`);
    if (result.baseline || other === undefined) continue;
    if (result.skipped || other.skipped) {
      rows.push({ label: result.variant.label, skipped: result.skipped ?? other.skipped });
      continue;
    }
    const ratio = median(result.times) / median(other.times);
    const interval = ratioInterval(result.times, other.times);
    const verdict = interval[0] > 1 ? 'slower' : interval[1] < 1 ? 'faster' : 'same within noise';
    rows.push({ label: result.variant.label, current: result, other, ratio, interval, verdict });
  }
  return rows;
}

export function comparisonTable(rows, name) {
  const lines = [
    `| Row | This tree: median ms (× baseline) | ${name}: median ms (× baseline) | This tree / ${name} (95% CI) | Verdict |`,
    '| --- | ---: | ---: | ---: | --- |',
  ];
  for (const row of rows) {
    if (row.skipped) {
      lines.push(`| ${row.label} | — | — | — | skipped: ${row.skipped} |`);
      continue;
    }
    const side = (result) => `${fmt(result.median)} (${fmt(result.ratio, 2)}×)`;
    lines.push(
      `| ${row.label} | ${side(row.current)} | ${side(row.other)} | ${fmt(row.ratio, 3)}× (${fmt(row.interval[0], 3)}–${fmt(row.interval[1], 3)}) | ${row.verdict} |`,
    );
  }
  return lines.join('\n');
}
