#!/usr/bin/env node
// npm run prometheus3:build
//
// Builds Prometheus 3 (`prometheus` and `promtool`) from the Go module proxy and prints the
// absolute path of the `prometheus` binary on stdout (`promtool` lies beside it; progress goes
// to stderr). The end-to-end suite runs against it through PROMETHEUS_BIN (see .ci/run).
//
// - The version is the Go module version of github.com/prometheus/prometheus: Prometheus 3.X.Y is
//   published as v0.3XX.Y (3.16.0 is v0.316.0). CMDTEL_PROMETHEUS3_MODULE_VERSION picks another.
// - `go install` refuses this module (its go.mod has replace/exclude directives), so the module
//   is downloaded with `go mod download`, copied out of the read-only module cache, and built in
//   place with `GOWORK=off go build ./cmd/prometheus ./cmd/promtool`.
// - The binaries are cached per version in the user-level cache (scripts/user-cache.mjs:
//   $CMDTEL_CACHE_DIR, $XDG_CACHE_HOME/cmdtel or ~/.cache/cmdtel)/prometheus/<version>/, shared by
//   every clone on the machine. A cold build takes about 9 minutes on an idle 2-core machine and
//   3.2 GB of memory at its peak; a cached one returns at once.
// - The web UI's assets are not compiled in (that needs the `builtinassets` tag and a Node build
//   of the UI); the HTTP API, remote-write receiver, rules and TSDB are all there, which is what
//   the tests use.
// - A build runs in a private directory and its binaries are moved into place at the end, so an
//   interrupted or concurrent build never leaves a half-written binary behind.
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isExecutable } from './collector-common.mjs';
import { userCacheDir } from './user-cache.mjs';

const MODULE = 'github.com/prometheus/prometheus';
/** Prometheus 3.16.0. */
export const DEFAULT_MODULE_VERSION = 'v0.316.0';
const BUILD_TIMEOUT_MS = Number(process.env.CMDTEL_PROMETHEUS3_BUILD_TIMEOUT_MS ?? 45 * 60 * 1000);
const EXE = process.platform === 'win32' ? '.exe' : '';

function log(message) {
  process.stderr.write(`[prometheus3:build] ${message}\n`);
}

/** The module version to build. */
export function moduleVersion(env = process.env) {
  const version = env.CMDTEL_PROMETHEUS3_MODULE_VERSION || DEFAULT_MODULE_VERSION;
  if (!/^v0\.3\d\d\.\d+$/.test(version)) {
    throw new Error('CMDTEL_PROMETHEUS3_MODULE_VERSION must look like v0.316.0 (Prometheus 3.16.0)');
  }
  return version;
}

/** The Prometheus release a module version stands for: v0.316.0 → 3.16.0. */
export function releaseVersion(version) {
  const [, minor, patch] = /^v0\.3(\d\d)\.(\d+)$/.exec(version);
  return `3.${Number(minor)}.${patch}`;
}

/** The directory holding the cached `prometheus` and `promtool` of one version. */
export function prometheus3Dir(version = moduleVersion(), env = process.env) {
  return join(userCacheDir(env), 'prometheus', version);
}

/** Runs a command, its output sent to our stderr (stdout collected when `capture`). */
function run(command, args, { env, cwd, deadline, capture = false }) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      if (capture) stdout += chunk;
      else process.stderr.write(chunk);
    });
    const timer = setTimeout(
      () => {
        child.kill('SIGKILL');
        reject(new Error(`${command} ${args.join(' ')} did not finish within the build timeout`));
      },
      Math.max(1000, deadline - Date.now()),
    );
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new Error(`${command} not found on PATH (Go is needed to build Prometheus 3)`) : error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(stdout);
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/** Makes a copied module tree writable (the module cache stores it read-only), so it can be removed. */
function makeWritable(dir) {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(path);
    else if (entry.isFile()) chmodSync(path, 0o644);
  }
}

/**
 * Returns the path of a Prometheus 3 binary, building it (and promtool) when not cached.
 * @returns {Promise<string>}
 */
export async function buildPrometheus3() {
  const version = moduleVersion();
  const dir = prometheus3Dir(version);
  const target = join(dir, `prometheus${EXE}`);
  const promtool = join(dir, `promtool${EXE}`);
  if (isExecutable(target) && isExecutable(promtool)) {
    log(`reusing ${target}`);
    return target;
  }

  const started = Date.now();
  const deadline = started + BUILD_TIMEOUT_MS;
  const env = {
    ...process.env,
    GOTOOLCHAIN: 'local',
    GOWORK: 'off',
    GOFLAGS: `${process.env.GOFLAGS ?? ''} -mod=mod -buildvcs=false`.trim(),
    CGO_ENABLED: process.env.CGO_ENABLED ?? '0',
  };

  log(`downloading ${MODULE}@${version} (Prometheus ${releaseVersion(version)})`);
  const info = JSON.parse(await run('go', ['mod', 'download', '-json', `${MODULE}@${version}`], { env, deadline, capture: true }));
  if (info.Error || !info.Dir) throw new Error(`go mod download ${MODULE}@${version}: ${info.Error ?? 'no module directory'}`);

  mkdirSync(join(dir, '..'), { recursive: true });
  const work = mkdtempSync(join(dir, '..', `.build-${version}-`));
  try {
    const source = join(work, 'src');
    cpSync(info.Dir, source, { recursive: true });
    makeWritable(source);

    const release = releaseVersion(version);
    const ldflags = [
      '-s',
      '-w',
      `-X github.com/prometheus/common/version.Version=${release}`,
      `-X github.com/prometheus/common/version.Branch=release-${release.replace(/\.\d+$/, '')}`,
      '-X github.com/prometheus/common/version.BuildUser=cmdtel-ci',
    ].join(' ');
    for (const command of ['prometheus', 'promtool']) {
      log(`building ${command} ${release} (several minutes on a cold Go build cache)`);
      await run('go', ['build', '-trimpath', `-ldflags=${ldflags}`, '-o', join(work, `${command}${EXE}`), `./cmd/${command}`], {
        env,
        cwd: source,
        deadline,
      });
    }

    mkdirSync(dir, { recursive: true });
    for (const command of ['promtool', 'prometheus']) {
      chmodSync(join(work, `${command}${EXE}`), 0o755);
      renameSync(join(work, `${command}${EXE}`), join(dir, `${command}${EXE}`));
    }
  } finally {
    if (existsSync(work)) rmSync(work, { recursive: true, force: true });
  }
  log(`built ${target} in ${Math.round((Date.now() - started) / 1000)} s`);
  return target;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildPrometheus3().then(
    (path) => process.stdout.write(`${path}\n`),
    (error) => {
      log(error.message);
      process.exitCode = 1;
    },
  );
}
