// `cmdtel --version` prints the version package.json declares, from the built CLI.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { reportCli, repoRoot } from '../helpers/paths.js';
import { runNode } from '../helpers/run-node.js';

test('cmdtel --version and -v print package.json version and exit 0', async () => {
  const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  for (const flag of ['--version', '-v']) {
    const run = await runNode(reportCli, [flag]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `${version}\n`);
    assert.equal(run.stderr, '');
  }
});
