// Times whole processes: `node <fixture>` from spawn to exit, every variant
// once per round in a fresh random order, so drift in the machine's load hits
// all variants alike. Only the command's own wall time is measured; a
// background sender it leaves behind is let go quiet before the next run.
// Peak RSS is measured in a separate interleaved pass, so its wrapper never
// adds to a timed run.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCollectors } from './collectors.js';
import { createRunSet } from './sandbox.js';
import { findStrays, reapStrays, settle, stopStrays } from './senders.js';
import { median, quantile, ratioInterval, seededRandom } from './stats.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = {
  bare: 'bench/fixtures/bare-cli.js',
  oneDependency: 'bench/fixtures/one-dependency-cli.js',
  cmdtel: 'bench/fixtures/cmdtel-cli.js',
  otelSdk: 'bench/fixtures/otel-sdk-cli.js',
  posthog: 'bench/fixtures/posthog-cli.js',
};

/** GNU time reports the peak RSS of the process it waited for (wait4's ru_maxrss, KiB). */
const GNU_TIME = '/usr/bin/time';
/** The fallback: a preload that writes process.resourceUsage().maxRSS (KiB) at exit. */
const RSS_PRELOAD = 'bench/fixtures/report-max-rss.cjs';

/** How peak RSS is measured on this machine, for the page. */
export const RSS_METHOD = existsSync(GNU_TIME)
  ? 'GNU time (`/usr/bin/time -f %M`: the peak resident set of the command process, from wait4; a background sender it starts is not included)'
  : 'a preload (`--require bench/fixtures/report-max-rss.cjs`) that writes `process.resourceUsage().maxRSS` when the process exits';

/**
 * @typedef {object} Variant
 * @property {string} id           short, also the name of its home directory
 * @property {string} label        the row's name on the page
 * @property {keyof typeof FIXTURES | `cmdtel@${string}`} script  a fixture, or the cmdtel fixture of a compared build
 * @property {(collectors: object, home: string) => Record<string, string>} [vars]  its BENCH_TELEMETRY_* variables
 * @property {{ ratio?: number, addedMs?: number, rssAddedMiB?: number }} [target]
 * @property {'cmdtel' | 'alternative' | 'reference'} [kind]  which table of the page it belongs to
 * @property {boolean} [freshHome]  every run gets a new, empty home (a first run: nothing saved, no sender running)
 * @property {number} [runs]        at most this many timed runs, spread evenly over the rounds (rows that take seconds)
 * @property {string} [needs]       a package from bench/alternatives that must be installed
 * @property {boolean} [background] needs background delivery; strays are settled after each run
 * @property {(probe: { collectors: object, home: string, before: object, run: object }) => Promise<string | undefined>} [check]
 *           verifies once, before timing, that the variant really does what its label says
 */

/**
 * Runs every variant `rounds` times, interleaved, and returns one result per
 * variant (in the given order). The first variant is the baseline.
 */
export async function runBench(
  variants,
  { rounds = 35, warmupRounds = 2, rssRuns = 5, seed = 20, packageRoot = PACKAGE_ROOT, comparedPackages = {}, log = () => {} } = {},
) {
  const runSet = createRunSet();
  let scripts;
  try {
    const copy = runSet.snapshotPackage(packageRoot);
    scripts = Object.fromEntries(Object.entries(FIXTURES).map(([name, file]) => [name, join(copy, file)]));
    // Another build of cmdtel, timed in the same rounds: its variants use the script `cmdtel@<name>`.
    for (const [name, root] of Object.entries(comparedPackages)) {
      scripts[`cmdtel@${name}`] = join(runSet.snapshotPackage(root, `package-${name}`), FIXTURES.cmdtel);
    }
  } catch (error) {
    runSet.remove();
    throw error;
  }
  const collectors = await startCollectors();
  const bench = { runSet, scripts, collectors, senders: new Set(), log, homes: new Map(), throwawaySenders: [] };
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
    await measureRss(bench, variants, results, { runs: rssRuns, seed });
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
async function checkVariants(bench, variants) {
  const { runSet, scripts, collectors, log } = bench;
  const results = new Map(variants.map((variant) => [variant.id, { variant, times: [], rssKiB: [], senderStarted: [], skipped: undefined }]));
  const background = variants.some((variant) => variant.background) && (await probeBackground(scripts.cmdtel, runSet, collectors));
  for (const variant of variants) {
    const result = results.get(variant.id);
    if (variant.background && !background) {
      result.skipped = 'background delivery is not in this build (a probe against a collector that never answers waited for it, or nothing arrived)';
      continue;
    }
    if (variant.needs && !existsSync(join(scripts[variant.script], '..', 'node_modules', variant.needs))) {
      result.skipped = `${variant.needs} is not installed (npm run bench:install installs the bench's alternatives)`;
      log(`${variant.id}: skipped: ${result.skipped}`);
      continue;
    }
    result.skipped = await preflight(scripts[variant.script], variant, envFor(bench, variant), collectors);
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
      if (!takesRound(variant, round - warmupRounds, rounds)) continue;
      // A first-run row's home is used once: its sender (long done delivering, a round ago) is ended
      // before the row's next run, so throwaway homes do not pile up idle senders no real user has.
      if (variant.freshHome) stopStrays(bench.throwawaySenders.splice(0));
      // Which senders lived before the run, so a run that had to start one can be told apart (outside the timing).
      const sendersBefore = variant.background ? new Set(findStrays(runSet.root)) : undefined;
      const wallMs = await timeRunLogged(scripts[variant.script], variant, envFor(bench, variant));
      let startedSender = false;
      if (variant.background) {
        const started = findStrays(runSet.root).filter((pid) => !sendersBefore.has(pid));
        startedSender = started.length > 0;
        if (variant.freshHome) bench.throwawaySenders.push(...started);
        trackSenders(bench);
        await settle(runSet.root);
      }
      if (round >= warmupRounds) {
        results.get(variant.id).times.push(wallMs);
        results.get(variant.id).senderStarted.push(startedSender);
      }
    }
    log(round < warmupRounds ? `warm-up round ${round + 1}/${warmupRounds}` : `round ${round + 1 - warmupRounds}/${rounds}`);
  }
}

/**
 * Rows that take seconds (a collector that never answers) run in only
 * `variant.runs` of the timed rounds, spread evenly, and skip the warm-up
 * (their checked run warmed them).
 */
export function takesRound(variant, timedRound, rounds) {
  if (variant.runs === undefined || variant.runs >= rounds) return true;
  if (timedRound < 0) return false;
  return Math.floor((timedRound * variant.runs) / rounds) !== Math.floor(((timedRound - 1) * variant.runs) / rounds);
}

/**
 * The environment of a variant's next run: its one persistent home (a
 * sender started by one run is found, or has cooled down, by the next, as in
 * real use), or a new empty home per run for a first-run row.
 */
function envFor({ runSet, collectors, homes }, variant) {
  let name = variant.id;
  if (variant.freshHome) {
    const next = (homes.get(variant.id) ?? 0) + 1;
    homes.set(variant.id, next);
    name = join(variant.id, `run-${next}`);
  }
  return runSet.envFor(name, (home) => variantVars(variant, collectors, home));
}

/**
 * Peak RSS of the command, `runs` interleaved runs per variant (one for rows
 * that take seconds), outside the timed rounds. Background rows settle their
 * sender between runs as in the timed rounds.
 */
async function measureRss(bench, variants, results, { runs, seed }) {
  const { scripts, log } = bench;
  const active = variants.filter((variant) => !results.get(variant.id).skipped);
  const random = seededRandom(seed + 1);
  for (let round = 0; round < runs; round++) {
    for (const variant of shuffle(active, random)) {
      if (variant.runs !== undefined && round > 0) continue;
      const kib = await peakRssRun(scripts[variant.script], envFor(bench, variant));
      if (variant.background) {
        trackSenders(bench);
        await settle(bench.runSet.root);
      }
      results.get(variant.id).rssKiB.push(kib);
    }
    log(`peak RSS round ${round + 1}/${runs}`);
  }
}

/** One run under GNU time (or the preload), returning the command's peak RSS in KiB. */
async function peakRssRun(script, env) {
  const report = join(env.HOME, 'max-rss.txt');
  const args = existsSync(GNU_TIME)
    ? [GNU_TIME, ['-f', '%M', '-o', report, process.execPath, script, 'note', 'list']]
    : [process.execPath, ['--require', join(script, '..', '..', '..', RSS_PRELOAD), script, 'note', 'list']];
  const runEnv = { ...env, BENCH_MAX_RSS_FILE: report };
  await new Promise((resolve, reject) => {
    const child = spawn(args[0], args[1], { cwd: env.HOME, env: runEnv, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`peak RSS run exited with ${signal ?? code}`))));
  });
  const kib = Number(readFileSync(report, 'utf8').trim().split('\n').pop());
  if (!Number.isFinite(kib) || kib <= 0) throw new Error(`no peak RSS reported for ${script}`);
  return kib;
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
async function preflight(script, variant, env, collectors) {
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

const KIB_PER_MIB = 1024;

function summarise(variants, results) {
  const base = results.get(variants[0].id);
  if (base.skipped) throw new Error(`the baseline (${variants[0].id}) could not run: ${base.skipped}`);
  const baseline = base.times;
  const baseMedian = median(baseline);
  const baseRssMiB = median(base.rssKiB) / KIB_PER_MIB;
  return variants.map((variant, index) => {
    const { times, rssKiB, senderStarted, skipped } = results.get(variant.id);
    if (skipped) return { variant, skipped };
    const med = median(times);
    const ratio = med / baseMedian;
    const addedMs = med - baseMedian;
    const interval = index === 0 ? [1, 1] : ratioInterval(times, baseline);
    const target = variant.target ?? {};
    const timePass = target.ratio !== undefined ? ratio <= target.ratio : target.addedMs !== undefined ? addedMs <= target.addedMs : undefined;
    // A verdict the interval cannot tell from noise: the target lies inside it.
    const timeClear = target.ratio === undefined || interval[1] <= target.ratio || interval[0] > target.ratio;
    const rssMiB = median(rssKiB) / KIB_PER_MIB;
    const rssAddedMiB = rssMiB - baseRssMiB;
    const rssPass = target.rssAddedMiB === undefined ? undefined : rssAddedMiB <= target.rssAddedMiB;
    const pass = timePass === undefined && rssPass === undefined ? undefined : timePass !== false && rssPass !== false;
    return {
      variant,
      baseline: index === 0,
      times,
      runs: times.length,
      median: med,
      p90: quantile(times, 0.9),
      ratio,
      interval,
      addedMs,
      timePass,
      timeClear,
      rssRuns: rssKiB.length,
      rssMiB,
      rssAddedMiB,
      rssPass,
      pass,
      ...(variant.background ? { senders: senderSplit(times, senderStarted, baseMedian) } : {}),
    };
  });
}

/**
 * A background row's runs split by whether the command had to start a sender (none running: the last
 * one idled out) or found one: the two costs a user meets, which the row's median mixes.
 */
export function senderSplit(times, started, baseMedian) {
  const split = (wanted) => times.filter((_, index) => started[index] === wanted);
  const summary = (sample) => (sample.length === 0 ? undefined : { runs: sample.length, median: median(sample), ratio: median(sample) / baseMedian });
  return { started: summary(split(true)), found: summary(split(false)) };
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
