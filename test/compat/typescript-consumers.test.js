// TypeScript consumers of the packed tarball: the calls docs/integrations.md documents, written the
// way a strict TypeScript CLI writes them (no casts, no skipLibCheck), must compile. The matrix:
//   module/moduleResolution  nodenext/nodenext  and  esnext/bundler
//   @opentelemetry/api       installed (with the SDK a host uses)  and  not installed (optional peer)
// with @types/yargs, @oclif/core 4 and commander in every project, `tsc --noEmit` in each cell.
// Needs the npm registry (run by test/compat/run.mjs, in .ci/run). The projects live in the system's
// temporary directory, outside this repository: inside it, module resolution would walk up into the
// repository's own node_modules and find @opentelemetry/api there, hiding the "not installed" cell.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HOST_SOURCES, SOURCES, TSCONFIGS } from './typescript-consumer-sources.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const devDependencies = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).devDependencies;

// The consumer's own toolchain and frameworks, at the versions this repository pins (one place to bump).
const pinned = (name) => `${name}@${devDependencies[name]}`;
// @types/yargs is the type package yargs users install; its 17.x line also describes yargs 18.
const TYPES_YARGS = '@types/yargs@17.0.35';
const BASE_DEPS = [pinned('typescript'), pinned('@types/node'), pinned('yargs'), TYPES_YARGS, pinned('@oclif/core'), pinned('commander')];
const OTEL_DEPS = [pinned('@opentelemetry/api'), pinned('@opentelemetry/sdk-metrics'), pinned('@opentelemetry/sdk-node')];

function npm(args, cwd) {
  try {
    return execFileSync('npm', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
  } catch (error) {
    throw new Error(`npm ${args.join(' ')} failed:\n${error.stdout}\n${error.stderr}`);
  }
}

/** `tsc --noEmit -p <config>`; resolves to the compiler's output, empty when it compiled. */
function typecheck(project, config) {
  try {
    execFileSync(process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', config], {
      cwd: project,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return '';
  } catch (error) {
    return `${error.stdout}${error.stderr}`.trim() || `tsc exited ${error.status}`;
  }
}

test('the documented calls compile for strict TypeScript consumers of the packed tarball', { timeout: 600_000 }, (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'cmdtel-ts-consumers-'));
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  const [{ filename }] = JSON.parse(npm(['pack', '--json', '--pack-destination', cache], repoRoot));
  const results = [];
  for (const withApi of [true, false]) {
    const project = join(cache, withApi ? 'with-api' : 'without-api');
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'ts-consumer', private: true, type: 'module' }));
    npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', join(cache, filename), ...BASE_DEPS, ...(withApi ? OTEL_DEPS : [])], project);
    const installedApi = npm(['ls', '@opentelemetry/api', '--all', '--parseable'], project).trim() !== '';
    assert.equal(installedApi, withApi, `@opentelemetry/api ${withApi ? 'installed' : 'absent'} as intended`);
    const sources = withApi ? { ...SOURCES, ...HOST_SOURCES } : SOURCES;
    for (const [file, text] of Object.entries(sources)) writeFileSync(join(project, 'src', file), text.trimStart());
    for (const [name, resolution] of Object.entries(TSCONFIGS)) {
      const config = `tsconfig.${name}.json`;
      const compilerOptions = { ...resolution, target: 'es2022', lib: ['es2022'], types: ['node'], strict: true, noEmit: true, skipLibCheck: false };
      writeFileSync(join(project, config), JSON.stringify({ compilerOptions, include: ['src/**/*.ts'] }, null, 2));
      const output = typecheck(project, config);
      const cell = `${name}, ${withApi ? 'with' : 'without'} @opentelemetry/api`;
      t.diagnostic(`${cell}: ${output === '' ? 'compiles' : 'FAILS'}`);
      results.push({ cell, output });
    }
  }
  const failures = results.filter((r) => r.output !== '');
  assert.deepEqual(failures, [], failures.map((f) => `${f.cell}:\n${f.output}`).join('\n\n'));
  assert.equal(results.length, 4);
});
