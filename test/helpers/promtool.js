// Where the tools suite finds promtool. Installing it is not a test's job: .ci/run runs
// scripts/ensure-prometheus.sh once, before the suite, so concurrent test files never race for
// apt's lock and `npm test` never needs root or apt.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** PROMTOOL_BIN when set, else the first `promtool` on PATH; fails the test (never skips) when missing. */
export function promtoolPath() {
  if (process.env.PROMTOOL_BIN) return process.env.PROMTOOL_BIN;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'promtool');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  assert.fail('promtool is not on PATH: run scripts/ensure-prometheus.sh (Debian) or install Prometheus, or set PROMTOOL_BIN');
}

/** Runs promtool with `args`; stdout and stderr joined, for assertion messages. */
export function promtool(args, cwd) {
  const run = spawnSync(promtoolPath(), args, { encoding: 'utf8', cwd, timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
