// `cmdtel report`: the local dashboard over a file sink.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runNode } from '../helpers/run-node.js';
import { reportCli, tempDir } from '../helpers/paths.js';

function line(command, subcommand, outcome, durationMs) {
  return JSON.stringify({ schema_version: '1', command, subcommand, outcome, exit_code: outcome === 'ok' ? 0 : 1, duration_ms: durationMs });
}

function sinkFile(t, lines) {
  const file = join(tempDir(t), 'events.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

test('--json: calls, errors, error rate and nearest-rank percentiles per command', async (t) => {
  const lines = [];
  for (let ms = 1; ms <= 100; ms += 1) lines.push(line('doc', 'create', ms % 10 === 0 ? 'error' : 'ok', ms));
  lines.push(line('sync', 'push', 'cancelled', 7), line('sync', 'push', 'error', 9));
  lines.push('{"torn line', 'not json at all', '{"command": 5}');
  const result = await runNode(reportCli, ['report', '--file', sinkFile(t, lines), '--json']);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.skippedLines, 3);
  assert.deepEqual(report.rows[0], { command: 'doc', subcommand: 'create', calls: 100, errors: 10, errorRate: 0.1, p50Ms: 50, p95Ms: 95, p99Ms: 99 });
  assert.deepEqual(report.rows[1], { command: 'sync', subcommand: 'push', calls: 2, errors: 1, errorRate: 0.5, p50Ms: 7, p95Ms: 9, p99Ms: 9 });
  assert.equal(report.total.calls, 102);
  assert.equal(report.total.errors, 11);
});

test('table output', async (t) => {
  const file = sinkFile(t, [line('doc', 'create', 'ok', 12), line('doc', 'create', 'error', 30)]);
  const table = await runNode(reportCli, ['report', '-f', file]);
  assert.match(table.stdout, /^command\s+subcommand\s+calls\s+errors\s+error rate\s+p50 ms\s+p95 ms\s+p99 ms$/m);
  assert.match(table.stdout, /^doc\s+create\s+2\s+1\s+50\.0%\s+12\s+30\s+30$/m);
  assert.match(table.stdout, /^\(all\)\s+-\s+2\s+1\s+50\.0%/m);
});

test('usage errors exit 2; a missing file exits 1 with its reason', async (t) => {
  assert.equal((await runNode(reportCli, ['frobnicate'])).code, 2);
  assert.equal((await runNode(reportCli, ['report', '--bogus'])).code, 2);
  const missing = await runNode(reportCli, ['report', '--file', join(tempDir(t), 'nope.jsonl')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /ENOENT/);
});
