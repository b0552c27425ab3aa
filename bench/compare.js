#!/usr/bin/env node
// This tree's build against another revision's, side by side in one interleaved run:
//
//   npm run bench:compare -- <revision>      (default: HEAD, i.e. uncommitted changes vs the last commit)
//
// The revision is checked out into a temporary git worktree, built there with this tree's
// node_modules (so compare revisions with the same dependencies), and both builds' cmdtel rows are
// timed in the same rounds against one baseline. Prints the table; writes nothing to docs/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { comparisonRows, comparisonTable, pairVariants } from './lib/compare-builds.js';
import { roundsFromEnv, rssRunsFromEnv } from './lib/claim.js';
import { runBench } from './lib/harness.js';
import { VARIANTS as V } from './lib/variants.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const revision = process.argv[2] ?? 'HEAD';
const git = (...args) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const commit = git('rev-parse', '--verify', `${revision}^{commit}`);
const name = git('rev-parse', '--short', commit);

const worktree = mkdtempSync(join(tmpdir(), 'cmdtel-compare-'));
const log = (line) => process.stderr.write(`${line}\n`);
try {
  git('worktree', 'add', '--detach', worktree, commit);
  symlinkSync(join(repoRoot, 'node_modules'), join(worktree, 'node_modules'), 'junction');
  log(`building ${revision} (${name}) in a temporary worktree...`);
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: worktree, stdio: ['ignore', 'ignore', 'inherit'] });
  const rows = [V.off, V.file, V.backgroundReachable, V.backgroundFirstRun, V.inlineReachable];
  const variants = pairVariants(V.oneDependency, rows, name);
  const { results } = await runBench(variants, { rounds: roundsFromEnv(), rssRuns: rssRunsFromEnv(), comparedPackages: { [name]: worktree }, log });
  process.stdout.write(`\nThis tree against ${revision} (${name}), ${results[0].runs} interleaved rounds, baseline ${results[0].median.toFixed(1)} ms:\n\n`);
  process.stdout.write(`${comparisonTable(comparisonRows(results, name), name)}\n`);
} finally {
  if (existsSync(join(worktree, '.git'))) git('worktree', 'remove', '--force', worktree);
  rmSync(worktree, { recursive: true, force: true });
  git('worktree', 'prune');
}
