#!/usr/bin/env node
// npm run collector:build
//
// Builds cmdtel's slim OpenTelemetry Collector from collector-config/builder-config.yaml and
// prints the binary's absolute path on stdout (progress goes to stderr).
//
// - OTELCOL_BIN=/path/to/otelcol-contrib: use that binary instead; nothing is built.
// - Otherwise the binary is cached in <user cache>/otelcol/<sha256 of the manifest>/ and reused
//   while the manifest is unchanged, by every clone on the machine (<user cache>: $CMDTEL_CACHE_DIR,
//   else $XDG_CACHE_HOME/cmdtel, else ~/.cache/cmdtel; scripts/user-cache.mjs). The builder (ocb)
//   itself is installed from the Go module proxy into <user cache>/otelcol/builder/<version>/ with
//   `go install`.
// - Needs Go (the version the manifest's modules ask for, see the manifest header) on PATH.
//   GOTOOLCHAIN=local: a too-old Go fails loudly instead of fetching another toolchain.
// - A build is written to a private temporary directory and moved into place at the end, so an
//   interrupted or concurrent build never leaves a half-written binary behind.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CACHE_DIR, MANIFEST, builderVersion, cachedBinaryPath, distName, existingCollectorBinary, manifestHash } from './collector-common.mjs';

const BUILD_TIMEOUT_MS = Number(process.env.CMDTEL_COLLECTOR_BUILD_TIMEOUT_MS ?? 45 * 60 * 1000);

function log(message) {
  process.stderr.write(`[collector:build] ${message}\n`);
}

/** Runs a command with inherited stderr, its stdout sent to our stderr; rejects on failure or timeout. */
function run(command, args, { env, cwd, deadline }) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk) => process.stderr.write(chunk));
    const remaining = Math.max(1000, deadline - Date.now());
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within the build timeout`));
    }, remaining);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new Error(`${command} not found on PATH (Go is needed to build the collector)`) : error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/**
 * Returns the path of a collector binary for the current manifest, building it when needed.
 * @returns {Promise<string>}
 */
export async function buildCollector() {
  const existing = existingCollectorBinary();
  if (existing) {
    log(process.env.OTELCOL_BIN ? `using OTELCOL_BIN ${existing}` : `reusing ${existing}`);
    return existing;
  }

  const started = Date.now();
  const deadline = started + BUILD_TIMEOUT_MS;
  const version = builderVersion();
  const hash = manifestHash();
  const target = cachedBinaryPath();
  const env = { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: process.env.CGO_ENABLED ?? '0' };

  // 1. The builder, once per version.
  const gobin = join(CACHE_DIR, 'builder', version);
  const builder = join(gobin, process.platform === 'win32' ? 'builder.exe' : 'builder');
  if (!existsSync(builder)) {
    log(`installing go.opentelemetry.io/collector/cmd/builder@${version}`);
    mkdirSync(gobin, { recursive: true });
    await run('go', ['install', `go.opentelemetry.io/collector/cmd/builder@${version}`], {
      env: { ...env, GOBIN: gobin },
      cwd: gobin,
      deadline,
    });
  }

  // 2. The distribution, into a private directory, then moved into place.
  const work = join(CACHE_DIR, `${hash}.build-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  log(`building ${distName()} (manifest ${hash.slice(0, 12)}) with builder ${version}; a cold build takes several minutes`);
  try {
    await run(builder, [`--config=${MANIFEST}`, `--output-path=${join(work, 'src')}`], { env, cwd: work, deadline });
    const built = join(work, 'src', target.slice(dirname(target).length + 1));
    if (!existsSync(built)) throw new Error(`the builder finished but ${built} is missing`);
    chmodSync(built, 0o755);
    mkdirSync(dirname(target), { recursive: true });
    renameSync(built, target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  log(`built ${target} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return target;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildCollector().then(
    (bin) => process.stdout.write(`${bin}\n`),
    (error) => {
      log(`failed: ${error.message}`);
      process.exitCode = 1;
    },
  );
}
