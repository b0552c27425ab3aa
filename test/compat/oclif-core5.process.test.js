// The oclif adapter on @oclif/core 5 (the current major; it needs Node 22): examples/oclif run as is
// in a project where @oclif/core is 5 and cmdtel is the packed tarball, every outcome recorded as on
// @oclif/core 4. test/compat/run.mjs builds that project and runs this file with Node 22; the project
// is named by CMDTEL_OCLIF5_PROJECT.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkEveryOutcome } from '../helpers/framework-cases.js';

const project = process.env.CMDTEL_OCLIF5_PROJECT;

test('oclif adapter on @oclif/core 5 under Node 22: command path, exit code and error class for every outcome', async (t) => {
  assert.ok(project && existsSync(project), 'run by test/compat/run.mjs, which installs @oclif/core 5 and the tarball into a project');
  const core = JSON.parse(readFileSync(join(project, 'node_modules', '@oclif', 'core', 'package.json'), 'utf8'));
  assert.match(core.version, /^5\./, '@oclif/core 5 where the example imports it');
  assert.ok(Number(process.versions.node.split('.')[0]) >= 22, '@oclif/core 5 needs Node 22');
  await checkEveryOutcome(t, join(project, 'example', 'cli.js'), 'oclif');
  t.diagnostic(`@oclif/core ${core.version}, Node ${process.version}`);
});
