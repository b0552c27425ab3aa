import { builtin } from './late-load.js';

// Paths as a user writes them (`~/...`), made absolute the same way in the command and the sender.

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
  return builtin('node:path').isAbsolute(path);
}

/**
 * The user's home: `HOME` (or `USERPROFILE` on Windows) first, which is what
 * `os.homedir()` returns anyway; node:os is loaded only when neither is set,
 * because loading it costs more than a command with telemetry may add.
 */
export function homeDir(): string {
  const fromEnv = process.platform === 'win32' ? process.env.USERPROFILE : process.env.HOME;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return builtin('node:os').homedir();
}

export function joinPath(directory: string, name: string): string {
  return builtin('node:path').join(directory, name);
}
