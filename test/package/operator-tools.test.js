// The operator's tools work from the installed package alone: `cmdtel rules` renders the alert
// rules with chosen thresholds and `cmdtel collector` hands out the shipped configs and manifest,
// run from a fresh project that installed nothing but the packed tarball.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { repoRoot, tempDir } from '../helpers/paths.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';

const npm = (args, cwd) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv({ npm_config_update_notifier: 'false' }) });
const repoFile = (path) => readFileSync(join(repoRoot, path), 'utf8');

let project;
let cli;
before(async (t) => {
  const dir = tempDir(t, 'cmdtel-operator-');
  const [{ filename }] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], repoRoot));
  project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'operator', version: '1.0.0', private: true }));
  npm(['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, filename)], project);
  cli = realpathSync(join(project, 'node_modules', '.bin', 'cmdtel'));
});

const cmdtel = (args) => runNode(cli, args, { cwd: project });

test('cmdtel rules with no arguments prints the shipped rule file exactly', async () => {
  const run = await cmdtel(['rules']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, repoFile('alerts/cmdtel.rules.yml'));
});

test('cmdtel rules --set and --params change exactly the chosen thresholds', async () => {
  const run = await cmdtel(['rules', '--set', 'errorRate.threshold=0.02', '--set', 'latency.thresholdSeconds=5']);
  assert.equal(run.code, 0, run.stderr);
  const defaults = repoFile('alerts/cmdtel.rules.yml');
  assert.equal(run.stdout.split('\n').length, defaults.split('\n').length);
  const changed = run.stdout.split('\n').filter((line, i) => line !== defaults.split('\n')[i]);
  assert.deepEqual(
    changed.map((line) => line.trim()),
    [
      ') > 0.02',
      'summary: "{{ $labels.service_name }}: more than 2% of invocations fail"',
      ') > 5',
      'summary: "{{ $labels.service_name }} {{ $labels.cli_command }} {{ $labels.cli_subcommand }}: p99 latency above 5s"',
      changed[4].trim(),
    ],
  );
  assert.match(changed[4], /took longer than 5s/);

  const paramsFile = join(project, 'mine.json');
  writeFileSync(paramsFile, JSON.stringify({ errorRate: { threshold: 0.02 }, latency: { thresholdSeconds: 5 } }));
  const out = join(project, 'mine.rules.yml');
  const fromFile = await cmdtel(['rules', '--params', paramsFile, '--out', out]);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.equal(fromFile.stdout, '');
  assert.equal(readFileSync(out, 'utf8'), run.stdout);
});

test('cmdtel rules refuses unknown keys and out-of-range values with exit 2', async () => {
  for (const [args, message] of [
    [['--set', 'errorRate.treshold=0.02'], /unknown key errorRate\.treshold/],
    [['--set', 'latency.thresholdSeconds=4'], /bucket boundary/],
    [['--set', 'errorRate.threshold=2'], /errorRate\.threshold must be a number in \[0, 1\]/],
    [['--set', 'nonsense'], /KEY=VALUE/],
    [['--params', join(project, 'no-such.json')], /cannot read .*no-such\.json: ENOENT/],
  ]) {
    const run = await cmdtel(['rules', ...args]);
    assert.equal(run.code, 2, args.join(' '));
    assert.equal(run.stdout, '');
    assert.match(run.stderr, message);
  }
  const params = await cmdtel(['rules', '--print-params']);
  assert.deepEqual(JSON.parse(params.stdout), JSON.parse(repoFile('alerts/params.json')));
});

test('cmdtel collector prints and locates the shipped configs and the manifest', async () => {
  const installed = realpathSync(join(project, 'node_modules', 'cmdtel'));
  for (const name of ['local', 'gateway-prometheus', 'sls']) {
    const config = await cmdtel(['collector', 'config', name]);
    assert.equal(config.code, 0, config.stderr);
    assert.equal(config.stdout, repoFile(`collector-config/${name}.yaml`));
    const path = await cmdtel(['collector', 'path', name]);
    assert.equal(path.stdout, `${join(installed, 'collector-config', `${name}.yaml`)}\n`);
  }
  const manifest = await cmdtel(['collector', 'manifest']);
  assert.equal(manifest.stdout, repoFile('collector-config/builder-config.yaml'));
  const list = await cmdtel(['collector', 'list']);
  assert.equal(list.stdout.trim().split('\n').length, 4);
  for (const bad of [['collector'], ['collector', 'config', 'nosuch'], ['collector', 'config', '../package'], ['collector', 'list', 'extra']]) {
    const run = await cmdtel(bad);
    assert.equal(run.code, 2, bad.join(' '));
    assert.match(run.stderr, /usage: cmdtel collector/);
  }
});
