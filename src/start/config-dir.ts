import { readEnv, type EnvNames } from '../vocabulary/env-names.js';
import { nodeRequire } from './node-require.js';
import type { ResolvedOptions } from './options.js';
import type { Warn } from './warnings.js';

/**
 * The CLI's config dir: the option, else `<P>_CONFIG_DIR`, else `~/.<name>`.
 * Always absolute: the detached sender runs with its own working directory,
 * so a relative path would mean another place to it — and a relative path
 * would write cmdtel's files into whatever directory the user is in. A
 * relative `<P>_CONFIG_DIR` is refused with one warning (naming the variable,
 * never its value); a relative `configDir` option never gets here (options.ts).
 */
export function resolveConfigDir(options: ResolvedOptions, names: EnvNames, warn: Warn): string {
  const fallback = () => joinPath(homeDir(), `.${options.name}`);
  if (options.configDir !== undefined) return expandHome(options.configDir);
  const fromEnv = readEnv(options.env, names.configDir);
  if (fromEnv === undefined) return fallback();
  return absoluteOr(fromEnv, () => {
    warn(names.configDir, `is not an absolute path (nor one starting with ~/); using ~/.${options.name}`);
    return fallback();
  });
}

/** `path` with `~` expanded when that makes it absolute; else what `otherwise` gives. */
export function absoluteOr(path: string, otherwise: () => string): string {
  const expanded = expandHome(path);
  return isAbsolutePath(expanded) ? expanded : otherwise();
}

/** `~` and `~/...` as a shell would expand them; other paths unchanged. */
export function expandHome(path: string): string {
  if (path === '~') return homeDir();
  if (path.startsWith('~/')) return joinPath(homeDir(), path.slice(2));
  return path;
}

/** Absolute, or `~`-prefixed (absolute once expanded). */
export function isAbsoluteOrHome(path: string): boolean {
  return path === '~' || path.startsWith('~/') || isAbsolutePath(path);
}

function isAbsolutePath(path: string): boolean {
  return (nodeRequire('node:path') as typeof import('node:path')).isAbsolute(path);
}

/**
 * The user's home: `HOME` (or `USERPROFILE` on Windows) first, which is what
 * `os.homedir()` returns anyway; node:os is loaded only when neither is set,
 * because loading it costs more than a command with telemetry may add.
 */
function homeDir(): string {
  const fromEnv = process.platform === 'win32' ? process.env.USERPROFILE : process.env.HOME;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return (nodeRequire('node:os') as typeof import('node:os')).homedir();
}

function joinPath(directory: string, name: string): string {
  return (nodeRequire('node:path') as typeof import('node:path')).join(directory, name);
}
