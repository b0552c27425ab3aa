// What `npm pack` ships, and that the packed tarball works in a fresh project:
// an example CLI from ESM, and `require('cmdtel')` from CommonJS where Node supports require(esm).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, tempDir } from '../helpers/paths.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';

const npm = (args, cwd) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv({ npm_config_update_notifier: 'false' }) });

test('the tarball holds dist with types and nothing from the workspace', () => {
  const [{ files }] = JSON.parse(npm(['pack', '--dry-run', '--json'], repoRoot));
  const paths = files.map((f) => f.path);
  for (const required of [
    'package.json',
    'LICENSE',
    'dist/start/index.js',
    'dist/index.d.ts',
    'dist/cli/main.js',
    'dist/recording/runtime.cjs',
    'dist/delivery/otlp-pipeline.cjs',
    'dist/delivery/sender.js',
  ])
    assert.ok(paths.includes(required), required);
  for (const sub of ['integrations/commander', 'integrations/yargs', 'integrations/oclif', 'integrations/user-controls']) {
    assert.ok(paths.includes(`dist/${sub}.js`) && paths.includes(`dist/${sub}.d.ts`), sub);
  }
  if (existsSync(join(repoRoot, 'README.md'))) assert.ok(paths.includes('README.md'), 'README.md');
  const stray = paths.filter((p) => /^(src|test|bench|examples|node_modules|\.cache|\.ci|scripts)\//.test(p) || p.endsWith('.tgz'));
  assert.deepEqual(stray, []);
  // Every exports-map target is in the tarball.
  const { exports, main } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  assert.ok(paths.includes(main.replace(/^\.\//, '')), `main: ${main}`);
  for (const target of Object.values(exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)))) {
    assert.ok(paths.includes(target.replace(/^\.\//, '')), target);
  }
});

test('installed from the tarball into a fresh project: an example runs, ESM and CommonJS imports work', async (t) => {
  const dir = tempDir(t, 'cmdtel-pack-');
  const [{ filename }] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], repoRoot));
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'fresh-host', version: '1.0.0', private: true, type: 'module' }));
  // cmdtel has no runtime dependencies, so this needs no network.
  npm(['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, filename)], project);
  assert.deepEqual(
    readdirSync(join(project, 'node_modules')).filter((name) => !name.startsWith('.')),
    ['cmdtel'],
    'no runtime dependencies',
  );

  copyFileSync(join(repoRoot, 'examples', 'notes', 'cli.js'), join(project, 'notes.js'));
  const sink = join(dir, 'events.jsonl');
  const run = await runNode(join(project, 'notes.js'), ['note', 'list'], {
    cwd: project,
    env: cleanEnv({ NOTES_HOME: join(dir, 'data'), NOTES_TELEMETRY_FILE: sink }),
  });
  assert.equal(run.code, 0, run.stderr);
  const event = JSON.parse(readFileSync(sink, 'utf8'));
  assert.equal(event.command, 'note');
  assert.equal(event.subcommand, 'list');

  const [major, minor] = process.versions.node.split('.').map(Number);
  const requireEsm = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 23;
  if (!requireEsm) return t.diagnostic(`CommonJS check skipped: Node ${process.versions.node} has no require(esm)`);
  writeFileSync(
    join(project, 'host.cjs'),
    [
      "const cmdtel = require('cmdtel');",
      "const { runTelemetryCommand } = require('cmdtel/user-controls');",
      "const { runCommander } = require('cmdtel/commander');",
      "const telemetry = cmdtel.createTelemetry({ name: 'cjshost', env: {} });",
      'console.log(JSON.stringify({ enabled: telemetry.enabled, fns: [typeof runTelemetryCommand, typeof runCommander] }));',
    ].join('\n'),
  );
  const cjs = await runNode(join(project, 'host.cjs'), [], { cwd: project, nodeArgs: ['--disable-warning=ExperimentalWarning'] });
  assert.equal(cjs.code, 0, cjs.stderr);
  assert.deepEqual(JSON.parse(cjs.stdout), { enabled: false, fns: ['function', 'function'] });
});
