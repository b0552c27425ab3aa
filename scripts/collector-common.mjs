// Shared helpers for scripts/collector-build.mjs, scripts/collector-run.mjs and the e2e harness:
// where the manifest lives, which builder version it needs, and where its binary is cached.
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { userCacheDir } from './user-cache.mjs';

/** The repository root (the parent of scripts/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The directory holding the collector configurations and the builder manifest. */
export const CONFIG_DIR = join(ROOT, 'collector-config');
/** The OpenTelemetry Collector Builder manifest. */
export const MANIFEST = join(CONFIG_DIR, 'builder-config.yaml');
/**
 * Cache for the builder and the built binaries: user-level (scripts/user-cache.mjs), so every
 * clone and worktree on the machine, and CI's fresh clone, reuse one build per manifest.
 */
export const CACHE_DIR = join(userCacheDir(), 'otelcol');

/**
 * Configurations that are overlays on a shared base: name → the configurations merged before it
 * (the collector merges its --config sources in order). The gateways share one pipeline,
 * gateway.yaml; each backend only adds its exporter.
 */
export const CONFIG_BASES = Object.freeze({ 'gateway-prometheus': ['gateway'], sls: ['gateway'] });

/**
 * The environment an operator gives every gateway process besides the CMDTEL_* settings
 * (docs/collector.md, "Memory"): GOMEMLIMIT, the Go runtime's memory target, at the
 * memory_limiter's soft limit for the default CMDTEL_MEMORY_LIMIT_MIB (448 MiB hard, 20% spike).
 * Without it the runtime lets the heap grow to twice the live data before collecting.
 */
export const GATEWAY_RUNTIME_ENV = Object.freeze({ GOMEMLIMIT: '360MiB' });

/** True when the --config sources include the shared gateway pipeline (gateway.yaml). */
export function isGateway(sources) {
  return sources.some((source) => basename(source) === 'gateway.yaml');
}

/**
 * The --config sources of a configuration, base first: a bare name (`gateway-prometheus`) expands
 * to its bases and itself in collector-config/; a path is taken as given.
 * @param {string} config
 * @returns {string[]}
 */
export function configSources(config) {
  if (isAbsolute(config) || config.includes('/') || config.endsWith('.yaml')) return [config];
  return [...(CONFIG_BASES[config] ?? []), config].map((name) => join(CONFIG_DIR, `${name}.yaml`));
}

/** sha256 (hex) of the manifest's bytes: the cache key of the binary. */
export function manifestHash(manifestPath = MANIFEST) {
  return createHash('sha256').update(readFileSync(manifestPath)).digest('hex');
}

/** The `dist.name` of the manifest (the binary's file name, without `.exe`). */
export function distName(manifestPath = MANIFEST) {
  const match = /^\s+name:\s*([A-Za-z0-9._-]+)\s*$/m.exec(readFileSync(manifestPath, 'utf8'));
  if (!match) throw new Error(`no dist.name in ${manifestPath}`);
  return match[1];
}

/**
 * The builder version the manifest needs: the version of its core collector modules
 * (go.opentelemetry.io/collector/... v0.X.Y). The builder refuses core modules of another
 * minor version, so the two always move together.
 */
export function builderVersion(manifestPath = MANIFEST) {
  const text = readFileSync(manifestPath, 'utf8');
  const versions = new Set([...text.matchAll(/gomod:\s*go\.opentelemetry\.io\/collector\/\S+\s+(v0\.\d+\.\d+)/g)].map((m) => m[1]));
  if (versions.size !== 1) {
    throw new Error(`expected exactly one core (v0.x) collector version in ${manifestPath}, found: ${[...versions].join(', ') || 'none'}`);
  }
  return [...versions][0];
}

/** Where the binary for this manifest is (or will be) cached. */
export function cachedBinaryPath(manifestPath = MANIFEST) {
  const exe = process.platform === 'win32' ? '.exe' : '';
  return join(CACHE_DIR, manifestHash(manifestPath), `${distName(manifestPath)}${exe}`);
}

/** True when `file` exists and is executable by us. */
export function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The collector binary to use without building: `OTELCOL_BIN` when set (it must exist),
 * else the cached build for the current manifest when present, else undefined.
 */
export function existingCollectorBinary(env = process.env) {
  if (env.OTELCOL_BIN) {
    const bin = resolve(env.OTELCOL_BIN);
    if (!isExecutable(bin)) throw new Error(`OTELCOL_BIN=${env.OTELCOL_BIN} is not an executable file`);
    return bin;
  }
  const cached = cachedBinaryPath();
  return existsSync(cached) && isExecutable(cached) ? cached : undefined;
}
