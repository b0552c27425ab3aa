// `npm test` needs nothing but Node and npm: its files pass with a PATH holding only `node` and
// `npm` (no prometheus, promtool, go, apt-get; npm's scripts run in POSIX's /bin/sh), a fresh HOME and npm cache, and none of the
// variables that point tests at installed tools. This file lives in test/tools, which `npm test`
// does not run, so it never runs itself.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, tempDir } from '../helpers/paths.js';

/** npm's own entry script: the one running this suite, else the first `npm` on PATH. */
function npmCli() {
  if (process.env.npm_execpath) return realpathSync(process.env.npm_execpath);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, 'npm'), constants.X_OK);
      return realpathSync(join(dir, 'npm'));
    } catch {
      // not in this directory
    }
  }
  assert.fail('npm is not on PATH');
}

/** The failed subtests with their details (TAP `not ok` blocks), else the output's end. */
function failures(output) {
  const lines = output.split('\n');
  const blocks = [];
  lines.forEach((line, i) => {
    if (/^\s*not ok \d+/.test(line)) blocks.push(lines.slice(Math.max(0, i - 1), i + 40).join('\n'));
  });
  return blocks.length > 0 ? blocks.join('\n----\n').slice(0, 12_000) : output.slice(-8000);
}

test('npm test does not cover test/tools, so this check cannot recurse', () => {
  const { scripts } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  assert.doesNotMatch(scripts.test, /test\/tools|test\/\*\*|test\/\*\//);
  assert.doesNotMatch(scripts.pretest, /test\/tools/);
});

test('npm test passes with a PATH of only node and npm, as a fresh user', { timeout: 900_000 }, async (t) => {
  const dir = tempDir(t, 'cmdtel-fresh-path-');
  const bin = join(dir, 'bin');
  const home = join(dir, 'home');
  mkdirSync(bin);
  mkdirSync(home);
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync(npmCli(), join(bin, 'npm'));
  assert.deepEqual(readdirSync(bin).sort(), ['node', 'npm']);

  const env = {
    PATH: bin,
    HOME: home,
    TMPDIR: dir,
    npm_config_cache: join(home, '.npm'),
    npm_config_update_notifier: 'false',
    npm_config_script_shell: '/bin/sh',
  };
  const run = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(bin, 'npm'), 'test'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
  const count = (name) => Number(new RegExp(`^(?:#|ℹ) ${name} (\\d+)$`, 'm').exec(run.output)?.[1]);
  assert.equal(run.code, 0, failures(run.output));
  assert.equal(count('fail'), 0, failures(run.output));
  assert.equal(count('cancelled'), 0);
  assert.equal(count('skipped'), 0);
  assert.ok(count('pass') > 0, 'no passing tests reported');
  t.diagnostic(`npm test with PATH=node,npm only: ${count('tests')} tests, ${count('pass')} passed`);
});
