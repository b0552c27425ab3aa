// The benchmark harness's bookkeeping (not its timings): slow rows spread
// their few runs evenly over the rounds, and the page marks each target met
// or not met with its interval, and two builds compared row by row.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparisonRows, comparisonTable, pairVariants } from '../../bench/lib/compare-builds.js';
import { senderSplit, takesRound } from '../../bench/lib/harness.js';
import { findings, senderSplitNote, targetTable } from '../../bench/lib/page.js';

test('takesRound: a row limited to n runs takes exactly n of the timed rounds, spread out, and no warm-up', () => {
  for (const [runs, rounds] of [
    [5, 35],
    [5, 7],
    [3, 10],
    [1, 35],
  ]) {
    const taken = Array.from({ length: rounds }, (_, round) => round).filter((round) => takesRound({ runs }, round, rounds));
    assert.equal(taken.length, runs, `${runs} of ${rounds}`);
    assert.equal(taken[0], 0);
    if (runs > 1) assert.ok(taken.at(-1) >= rounds - Math.ceil(rounds / runs), 'the last run near the end');
  }
  assert.equal(takesRound({ runs: 5 }, -1, 35), false);
  assert.equal(takesRound({}, -1, 35), true);
  assert.equal(takesRound({}, 20, 35), true);
});

function row(id, { ratio, interval, rssAddedMiB, target }) {
  const timePass = ratio <= target.ratio;
  const rssPass = rssAddedMiB <= target.rssAddedMiB;
  return {
    variant: { id, label: id, target },
    ratio,
    interval,
    addedMs: (ratio - 1) * 50,
    median: 50 * ratio,
    rssAddedMiB,
    timePass,
    timeClear: interval[1] <= target.ratio || interval[0] > target.ratio,
    rssPass,
    pass: timePass && rssPass,
  };
}

test('the target table says met, NOT MET, and within noise when the interval holds the target', () => {
  const target = { ratio: 1.05, rssAddedMiB: 3 };
  const results = [
    { variant: { id: 'base', label: 'base' }, baseline: true, median: 50, ratio: 1, interval: [1, 1], addedMs: 0 },
    row('clear-pass', { ratio: 1.01, interval: [1.0, 1.03], rssAddedMiB: 1, target }),
    row('noisy-pass', { ratio: 1.04, interval: [1.0, 1.09], rssAddedMiB: 1, target }),
    row('slow', { ratio: 1.2, interval: [1.15, 1.25], rssAddedMiB: 1, target }),
    row('heavy', { ratio: 1.0, interval: [0.98, 1.02], rssAddedMiB: 5, target }),
  ];
  const lines = targetTable(results).split('\n');
  assert.match(
    lines.find((l) => l.startsWith('| clear-pass')),
    /\| met \|$/,
  );
  assert.match(
    lines.find((l) => l.startsWith('| noisy-pass')),
    /\| met \(within noise\) \|$/,
  );
  assert.match(
    lines.find((l) => l.startsWith('| slow')),
    /NOT MET/,
  );
  assert.match(
    lines.find((l) => l.startsWith('| heavy')),
    /NOT MET/,
  );
  const notes = findings(results);
  assert.equal(notes.length, 2);
  assert.match(notes[0], /^slow: 1\.20× \(1\.15–1\.25\) against ≤ 1\.05×/);
  assert.match(notes[1], /^heavy: peak RSS \+5\.0 MiB against ≤ \+3 MiB/);
});

test("senderSplit: a background row's runs split by whether they started a sender, each against the baseline", () => {
  const split = senderSplit([60, 62, 64, 75, 77], [false, false, false, true, true], 50);
  assert.deepEqual(split.found, { runs: 3, median: 62, ratio: 62 / 50 });
  assert.deepEqual(split.started, { runs: 2, median: 76, ratio: 76 / 50 });
  assert.equal(senderSplit([60], [false], 50).started, undefined);
});

test('the sender note lists background rows with a persistent home, not the first-run row (Linux: senders are seen through /proc)', () => {
  const note = senderSplitNote([
    { variant: { label: 'bg reachable' }, senders: senderSplit([60, 75], [false, true], 50) },
    { variant: { label: 'first run', freshHome: true }, senders: senderSplit([80], [true], 50) },
    { variant: { label: 'file' } },
  ]);
  if (process.platform !== 'linux') return assert.equal(note, '');
  assert.match(note, /\| bg reachable \| 1 runs: median 60\.0 ms, 1\.20× \| 1 runs: median 75\.0 ms, 1\.50× \|/);
  assert.doesNotMatch(note, /first run|\| file/);
  assert.equal(senderSplitNote([{ variant: { label: 'file' } }]), '');
});

test('pairVariants: the baseline once, then each row for this build and for the compared one, homes apart', () => {
  const baseline = { id: 'one-dependency', script: 'oneDependency' };
  const file = { id: 'file', label: 'file sink', script: 'cmdtel', target: { ratio: 1.05 } };
  const paired = pairVariants(baseline, [file], 'abc1234');
  assert.deepEqual(
    paired.map((variant) => [variant.id, variant.script]),
    [
      ['one-dependency', 'oneDependency'],
      ['file', 'cmdtel'],
      ['file@abc1234', 'cmdtel@abc1234'],
    ],
  );
  assert.equal(paired[2].label, 'file sink (abc1234)');
  assert.equal(paired[2].target, file.target, 'the same row in every other respect');
});

test('comparisonRows: this build against the other directly; the verdict follows the interval', () => {
  const result = (id, times, extra = {}) => ({ variant: { id, label: id }, times, median: times[Math.floor(times.length / 2)], ratio: 1, ...extra });
  const same = Array.from({ length: 21 }, (_, i) => 60 + (i % 5));
  const slower = same.map((ms) => ms + 20);
  const results = [
    result('base', same, { baseline: true }),
    result('off', same),
    result('off@r', same),
    result('file', slower),
    result('file@r', same),
    { variant: { id: 'bg', label: 'bg' }, skipped: 'no background delivery' },
    result('bg@r', same),
  ];
  const rows = comparisonRows(results, 'r');
  assert.deepEqual(
    rows.map((row) => [row.label, row.verdict ?? `skipped: ${row.skipped}`]),
    [
      ['off', 'same within noise'],
      ['file', 'slower'],
      ['bg', 'skipped: no background delivery'],
    ],
  );
  assert.equal(rows[0].ratio, 1);
  assert.ok(rows[1].interval[0] > 1.2, `the interval of a 20 ms slower build: ${rows[1].interval}`);
  const table = comparisonTable(rows, 'r');
  assert.match(table, /\| file \| .* \| slower \|/);
  assert.match(table, /\| bg \| — \| — \| — \| skipped: no background delivery \|/);
});
