// The README's first quick-start line ends in `npm run demo`: the example CLI run 30 times into a
// file sink, then `cmdtel report` on it. A newcomer's first impression, so it is a test.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';
import { runNode } from '../helpers/run-node.js';

test('the demo runs the notes CLI 30 times and ends in a report that counts each run once', async () => {
  const run = await runNode(join(repoRoot, 'examples', 'notes', 'demo.js'), [], { timeoutMs: 120_000 });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^command\s+subcommand\s+calls\s+errors\s+error rate/m, 'the report table is printed');
  // The (all) row: 30 calls, 7 of them errors (2 usage, 2 not found, 1 auth, 2 unknown).
  assert.match(run.stdout, /^\(all\)\s+-\s+30\s+7\s+23\.3%/m);
});
