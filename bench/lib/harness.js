// Times whole processes: `node <fixture>` from spawn to exit, every variant
// once per round in a fresh random order, so drift in the machine's load hits
// all variants alike. Only the command's own wall time is measured; a
// background sender it leaves behind is let go quiet before the next run.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCollectors } from './collectors.js';
import { createRunSet } from './sandbox.js';
import { findStrays, reapStrays, settle } from './senders.js';
import { median, quantile, ratioInterval, seededRandom } from './stats.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = { bare: 'bench/fixtures/bare-cli.js', oneDependency: 'bench/fixtures/one-dependency-cli.js', cmdtel: 'bench/fixtures/cmdtel-cli.js' };

/**
 * @typedef {object} Variant
 * @property {string} id           short, also the name of its home directory
 * @property {string} label        the row's name on the page
 * @property {'bare' | 'oneDependency' | 'cmdtel'} script
 * @property {(collectors: object, home: string) => Record<string, string>} [vars]  its BENCH_TELEMETRY_* variables
 * @property {{ ratio?: number, addedMs?: number }} [target]
 * @property {boolean} [background] needs background delivery; strays are settled after each run
 * @property {(probe: { collectors: object, home: string, before: object, run: object }) => Promise<string | undefined>} [check]
 *           verifies once, before timing, that the variant really does what its label says
 */

/**
 * Runs every variant `rounds` times, interleaved, and returns one result per
 * variant (in the given order). The first variant is the baseline.
 */
export async function runBench(variants, { rounds = 35, warmupRounds = 2, seed = 20, packageRoot = PACKAGE_ROOT, log = () => {} } = {}) {
  const runSet = createRunSet();
  let scripts;
  try {
    const copy = runSet.snapshotPackage(packageRoot);
    scripts = Object.fromEntries(Object.entries(FIXTURES).map(([name, file]) => [name, join(copy, file)]));
  } catch (error) {
    runSet.remove();
    throw error;
  }
  const collectors = await startCollectors();
  const bench = { runSet, scripts, collectors, senders: new Set(), log };
  const interrupted = onInterrupt(async () => {
    await reapStrays(runSet.root, { graceMs: 0 });
    await collectors.close();
    runSet.remove();
  });
  let results;
  let reaped;
  try {
    results = await checkVariants(bench, variants);
    await timeRounds(bench, variants, results, { rounds, warmupRounds, seed });
  } catch (error) {
    // Interrupted: the cleanup kills the run in flight, and exits when done.
    if (interrupted.happened) await new Promise(() => {});
    throw error;
  } finally {
    interrupted.dispose();
    trackSenders(bench);
    reaped = await reapStrays(runSet.root);
    await collectors.close();
    runSet.remove();
  }
  return { results: summarise(variants, results), senders: { distinct: bench.senders.size, ...reaped }, rounds };
}

/** The probe and one checked run per variant; a variant that fails is skipped with the reason. */
async function checkVariants({ runSet, scripts, collectors, log }, variants) {
  const results = new Map(variants.map((variant) => [variant.id, { variant, times: [], skipped: undefined }]));
  const background = variants.some((variant) => variant.background) && (await probeBackground(scripts.cmdtel, runSet, collectors));
  for (const variant of variants) {
    const result = results.get(variant.id);
    if (variant.background && !background) {
      result.skipped = 'background delivery is not in this build (a probe against a collector that never answers waited for it, or nothing arrived)';
      continue;
    }
    result.skipped = await preflight(scripts[variant.script], variant, runSet, collectors);
    if (variant.background) await settle(runSet.root);
    log(`${variant.id}: ${result.skipped ? `skipped: ${result.skipped}` : 'ok'}`);
  }
  return results;
}

/** Every round runs each sound variant once, in a fresh seeded order; warm-up rounds are not kept. */
async function timeRounds(bench, variants, results, { rounds, warmupRounds, seed }) {
  const { runSet, scripts, collectors, log } = bench;
  const active = variants.filter((variant) => !results.get(variant.id).skipped);
  const random = seededRandom(seed);
  for (let round = 0; round < warmupRounds + rounds; round++) {
    for (const variant of shuffle(active, random)) {
      const env = runSet.envFor(variant.id, (home) => variantVars(variant, collectors, home));
      const wallMs = await timeRunLogged(scripts[variant.script], variant, env);
      if (variant.background) {
        trackSenders(bench);
        await settle(runSet.root);
      }
      if (round >= warmupRounds) results.get(variant.id).times.push(wallMs);
    }
    log(round < warmupRounds ? `warm-up round ${round + 1}/${warmupRounds}` : `round ${round + 1 - warmupRounds}/${rounds}`);
  }
}

function trackSenders({ runSet, senders }) {
  for (const pid of findStrays(runSet.root)) senders.add(pid);
}

/** Ctrl-C or SIGTERM mid-run still stops the senders, the collectors and the temp dir. */
function onInterrupt(cleanUp) {
  const state = { happened: false, dispose };
  const handler = (signal) => {
    state.happened = true;
    process.stderr.write(`bench: ${signal}, cleaning up\n`);
    cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return state;

  function dispose() {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  }
}

function variantVars(variant, collectors, home) {
  return variant.vars ? variant.vars(collectors, home) : {};
}

/** Spawn to exit of one process, in milliseconds; output discarded. */
export function timeRun(script, env, stdio = 'ignore') {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [script, 'note', 'list'], { cwd: env.HOME, env, stdio });
    child.on('error', reject);
    // 'exit', not 'close': a detached sender may hold an inherited descriptor open.
    child.on('exit', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve(wallMs);
      else reject(new Error(`exited with ${signal ?? code}`));
    });
  });
}

/** A timed run with stderr appended to a log in the variant's home, shown if the run fails. */
async function timeRunLogged(script, variant, env) {
  const logFile = join(env.HOME, 'stderr.log');
  const err = openSync(logFile, 'a');
  try {
    return await timeRun(script, env, ['ignore', 'ignore', err]);
  } catch (error) {
    const tail = readFileSync(logFile, 'utf8').slice(-2000);
    throw new Error(`${variant.id}: ${error.message}\n${tail}`);
  } finally {
    closeSync(err);
  }
}

/** One run with output kept, checked; returns a problem, or undefined when the variant is sound. */
async function preflight(script, variant, runSet, collectors) {
  const env = runSet.envFor(variant.id, (home) => variantVars(variant, collectors, home));
  const home = env.HOME;
  const before = { reachable: collectors.reachable.requests, delayed: collectors.delayed.requests, hanging: collectors.hanging.requests };
  const out = openSync(join(home, 'preflight.out'), 'w');
  const err = openSync(join(home, 'preflight.err'), 'w');
  let run;
  try {
    run = { wallMs: await timeRun(script, env, ['ignore', out, err]) };
  } catch (error) {
    return `${error.message}: ${readFileSync(join(home, 'preflight.err'), 'utf8').trim().split('\n')[0]}`;
  } finally {
    closeSync(out);
    closeSync(err);
  }
  run.stdout = readFileSync(join(home, 'preflight.out'), 'utf8');
  run.stderr = readFileSync(join(home, 'preflight.err'), 'utf8');
  if (!run.stdout.startsWith('20 notes')) return `unexpected output: ${JSON.stringify(run.stdout.slice(0, 80))}`;
  if (run.stderr !== '') return `wrote to stderr: ${JSON.stringify(run.stderr.slice(0, 200))}`;
  return variant.check ? variant.check({ collectors, home, before, run }) : undefined;
}

/**
 * Background delivery exists when a command against a collector that never
 * answers exits well before the timeout (inline delivery waits it out) and
 * the request still arrives, from the sender it left behind.
 */
export async function probeBackground(script, runSet, collectors) {
  const before = collectors.hanging.requests;
  const env = runSet.envFor('probe', () => ({
    BENCH_TELEMETRY_ENABLED: '1',
    BENCH_TELEMETRY_URL: collectors.hanging.url,
    BENCH_TELEMETRY_DELIVERY: 'background',
    BENCH_TELEMETRY_TIMEOUT_MS: '1500',
  }));
  const wallMs = await timeRun(script, env);
  const sent = await eventually(() => collectors.hanging.requests > before);
  await settle(runSet.root);
  return wallMs < 1000 && sent;
}

function summarise(variants, results) {
  const baseline = results.get(variants[0].id).times;
  const baseMedian = median(baseline);
  return variants.map((variant) => {
    const { times, skipped } = results.get(variant.id);
    if (skipped) return { variant, skipped };
    const med = median(times);
    const ratio = med / baseMedian;
    const addedMs = med - baseMedian;
    const target = variant.target;
    const pass = target === undefined ? undefined : target.ratio !== undefined ? ratio <= target.ratio : addedMs <= target.addedMs;
    return { variant, runs: times.length, median: med, p90: quantile(times, 0.9), ratio, interval: ratioInterval(times, baseline), addedMs, pass };
  });
}

function shuffle(items, random) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** Waits up to `ms` for `condition()`; for checks of what a background sender delivered. */
export async function eventually(condition, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}
