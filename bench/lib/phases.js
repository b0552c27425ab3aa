// Where a command's added time goes: runs bench/fixtures/phases-cli.js, which
// stamps each step, and splits spawn-to-exit into Node's start, loading
// cmdtel, createTelemetry, the command with start/end, shutdown(), and the
// exit after it (sockets and timers winding down).
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCollectors } from './collectors.js';
import { probeBackground } from './harness.js';
import { createRunSet } from './sandbox.js';
import { reapStrays, settle } from './senders.js';
import { median } from './stats.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const PHASES = [
  ['node start', 'spawned', 'scriptStart'],
  ['load cmdtel', 'commandLoaded', 'cmdtelLoaded'],
  ['createTelemetry', 'cmdtelLoaded', 'created'],
  ['command, start/end', 'created', 'ended'],
  ['shutdown()', 'ended', 'shutDown'],
  ['exit after shutdown', 'shutDown', 'exited'],
];

/** Runs per variant; the split is an explanation, not a claim, so fewer than the main table. */
export const PHASE_RUNS = 15;

const now = () => performance.timeOrigin + performance.now();

/** Median milliseconds per phase for each variant, `runs` interleaved runs each; background rows only where the build has it. */
export async function measurePhases(variants, { runs = PHASE_RUNS, packageRoot = PACKAGE_ROOT } = {}) {
  const runSet = createRunSet();
  const collectors = await startCollectors();
  const samples = new Map();
  let active = [];
  try {
    const copy = runSet.snapshotPackage(packageRoot);
    const script = join(copy, 'bench/fixtures/phases-cli.js');
    const background =
      variants.some((variant) => variant.background) && (await probeBackground(join(copy, 'bench/fixtures/cmdtel-cli.js'), runSet, collectors));
    active = variants.filter((variant) => background || !variant.background);
    for (const variant of active) samples.set(variant.id, []);
    for (let run = 0; run < runs + 1; run++) {
      for (const variant of active) {
        const env = runSet.envFor(variant.id, (home) => (variant.vars ? variant.vars(collectors, home) : {}));
        const marks = await stampedRun(script, env);
        if (variant.background) await settle(runSet.root);
        if (run > 0) samples.get(variant.id).push(marks); // the first round warms the disk cache
      }
    }
  } finally {
    await reapStrays(runSet.root);
    await collectors.close();
    runSet.remove();
  }
  return active.map((variant) => {
    const runsOf = samples.get(variant.id);
    return { variant, phases: PHASES.map(([name, from, to]) => [name, median(runsOf.map((marks) => marks[to] - marks[from]))]) };
  });
}

async function stampedRun(script, env) {
  const outFile = join(env.HOME, 'phases.out');
  const out = openSync(outFile, 'w');
  try {
    const spawned = now();
    const exited = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script, 'note', 'list'], { cwd: env.HOME, env, stdio: ['ignore', out, 'ignore'] });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(now()) : reject(new Error(`phases-cli exited with ${code}`))));
    });
    const line = readFileSync(outFile, 'utf8')
      .split('\n')
      .find((text) => text.startsWith('{'));
    return { spawned, exited, ...JSON.parse(line) };
  } finally {
    closeSync(out);
  }
}
