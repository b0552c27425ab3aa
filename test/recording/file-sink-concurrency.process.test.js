// 50 processes appending to one file sink at once leave 50 whole JSON lines.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, runNode } from '../helpers/run-node.js';
import { fixture, tempDir } from '../helpers/paths.js';

const PROCESSES = 50;

test(`${PROCESSES} concurrent processes, one file sink`, async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'events.jsonl');
  const env = cleanEnv({ FIXTURE_TELEMETRY_FILE: file, FIXTURE_CONFIG_DIR: join(dir, 'config') });
  const runs = Array.from({ length: PROCESSES }, (_, i) =>
    runNode(fixture('telemetry-cli.js'), [`cmd${i % 5}`, `sub${i}`, '--exit', String(i % 3)], { env, timeoutMs: 60_000 }),
  );
  const results = await Promise.all(runs);
  assert.deepEqual(
    results.map((r) => r.code),
    Array.from({ length: PROCESSES }, (_, i) => i % 3),
  );

  const lines = readFileSync(file, 'utf8').split('\n');
  assert.equal(lines.pop(), '', 'ends with a newline');
  assert.equal(lines.length, PROCESSES);
  const events = lines.map((line) => JSON.parse(line));
  assert.deepEqual(events.map((e) => e.subcommand).sort(), Array.from({ length: PROCESSES }, (_, i) => `sub${i}`).sort());
  assert.equal(new Set(events.map((e) => e.trace_id)).size, PROCESSES);
});
