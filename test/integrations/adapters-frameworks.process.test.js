// Each framework's example CLI, run as a real process: the command path, exit
// codes and error classes arrive in the file sink; what the user typed for an
// unknown command never does. The yargs example runs twice: on yargs 18 (the
// dev dependency) and on yargs 17 (the major most published CLIs still use).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { repoRoot, tempDir } from '../helpers/paths.js';
import { checkEveryOutcome } from '../helpers/framework-cases.js';

/**
 * examples/yargs/cli.js as is, in a directory where `yargs` is yargs 17 (the `yargs-17` dev
 * dependency) and `cmdtel` this repository, as a CLI that depends on both would have them.
 */
function yargsExampleOn17(t) {
  const dir = tempDir(t, 'cmdtel-yargs17-');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(repoRoot, 'node_modules', 'yargs-17'), join(dir, 'node_modules', 'yargs'), 'junction');
  symlinkSync(repoRoot, join(dir, 'node_modules', 'cmdtel'), 'junction');
  copyFileSync(join(repoRoot, 'examples', 'yargs', 'cli.js'), join(dir, 'cli.js'));
  const version = JSON.parse(readFileSync(join(dir, 'node_modules', 'yargs', 'package.json'), 'utf8')).version;
  assert.match(version, /^17\./, 'yargs 17 where the example imports yargs');
  return join(dir, 'cli.js');
}

const FRAMEWORKS = [
  { name: 'commander', exits: 'commander', cli: () => join(repoRoot, 'examples', 'commander', 'cli.js') },
  { name: 'yargs', exits: 'yargs', cli: () => join(repoRoot, 'examples', 'yargs', 'cli.js') },
  { name: 'yargs 17', exits: 'yargs', cli: yargsExampleOn17 },
  { name: 'oclif', exits: 'oclif', cli: () => join(repoRoot, 'examples', 'oclif', 'cli.js') },
];

for (const { name, exits: framework, cli: cliFor } of FRAMEWORKS) {
  describe(`${name} adapter`, () => {
    test('records command path, exit code and error class for every outcome', async (t) => {
      await checkEveryOutcome(t, cliFor(t), framework);
    });
  });
}
