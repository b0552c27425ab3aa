// Runs one claim's variants on their own and prints the table: what each
// bench/<claim>.js does when started directly.
import { runBench } from './harness.js';
import { findings, textTable } from './page.js';

export const roundsFromEnv = () => Math.max(1, Math.min(200, Number(process.env.BENCH_ROUNDS) || 35));
export const rssRunsFromEnv = () => Math.max(1, Math.min(50, Number(process.env.BENCH_RSS_RUNS) || 5));

export async function runClaim(variants) {
  const { results } = await runBench(variants, { rounds: roundsFromEnv(), rssRuns: rssRunsFromEnv(), log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`${textTable(results)}\n`);
  for (const note of findings(results)) process.stdout.write(`${note}\n`);
}
