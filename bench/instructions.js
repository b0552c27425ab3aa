#!/usr/bin/env node
// Instructions executed per command (valgrind's callgrind), for the command-path rows: a count
// that does not move with the machine's load the way wall time does, so a change to the command
// path can be judged on a busy machine. Not a claim (the claims are wall time, bench/run.js), and
// not exact either: V8's background threads (compilation, GC) make counts vary by a few million
// between runs, hence several rounds. Needs valgrind (Debian: apt-get install valgrind).
//   BENCH_ROUNDS=4 node bench/instructions.js [variant ...]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRunSet } from './lib/sandbox.js';
import { median } from './lib/stats.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Script and variables per variant; the same settings as the wall-time rows of bench/lib/variants.js. */
const VARIANTS = {
  'one-dependency': ['one-dependency-cli.js', () => ({})],
  off: ['cmdtel-cli.js', () => ({})],
  file: ['cmdtel-cli.js', (home) => ({ BENCH_TELEMETRY_FILE: join(home, 'events.jsonl') })],
  // A collector address nothing listens on: the command only appends and checks the sender's lock.
  background: [
    'cmdtel-cli.js',
    (home) => ({
      BENCH_TELEMETRY_ENABLED: '1',
      BENCH_TELEMETRY_URL: 'http://127.0.0.1:9/',
      BENCH_TELEMETRY_DELIVERY: 'background',
      BENCH_TELEMETRY_SPOOL_DIR: join(home, 'spool'),
    }),
  ],
};

const probe = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
if (probe.status !== 0) {
  process.stderr.write('valgrind is not installed (Debian: apt-get install valgrind)\n');
  process.exit(1);
}
const rounds = Math.max(1, Math.min(20, Number(process.env.BENCH_ROUNDS) || 3));
const chosen = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(VARIANTS);
const runSet = createRunSet();
const counts = new Map(chosen.map((name) => [name, []]));
try {
  const fixtures = join(runSet.snapshotPackage(PACKAGE_ROOT), 'bench', 'fixtures');
  // Round 0 warms up: it writes the code cache and starts a sender, as a command's first run does.
  for (let round = 0; round <= rounds; round++) {
    for (const name of chosen) {
      const [script, vars] = VARIANTS[name] ?? [];
      if (script === undefined) throw new Error(`unknown variant ${name}; one of ${Object.keys(VARIANTS).join(', ')}`);
      const out = join(runSet.root, `callgrind.${name}.${round}`);
      const run = spawnSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, process.execPath, join(fixtures, script), 'note', 'list'], {
        env: runSet.envFor(name, vars),
        encoding: 'utf8',
      });
      const collected = /Collected : (\d+)/.exec(run.stderr);
      if (collected === null) throw new Error(`${name}: callgrind printed no count\n${run.stderr.slice(-400)}`);
      if (round > 0) counts.get(name).push(Number(collected[1]) / 1e6);
      process.stderr.write(`round ${round}/${rounds} ${name}\n`);
    }
  }
} finally {
  runSet.remove();
}
const base = counts.has('one-dependency') ? median(counts.get('one-dependency')) : undefined;
for (const [name, values] of counts) {
  const added = base === undefined || name === 'one-dependency' ? '' : `  (+${(median(values) - base).toFixed(1)} M)`;
  process.stdout.write(`${name.padEnd(16)} median ${median(values).toFixed(1)} M instructions${added}   [${values.map((v) => v.toFixed(1)).join(', ')}]\n`);
}
