import { readEnv, type EnvNames } from '../vocabulary/env-names.js';
import { nodeRequire } from './node-require.js';
import type { ResolvedOptions } from './options.js';

/** The CLI's config dir: the option, else `<P>_CONFIG_DIR`, else `~/.<name>`. */
export function resolveConfigDir(options: ResolvedOptions, names: EnvNames): string {
  return expandHome(options.configDir ?? readEnv(options.env, names.configDir) ?? joinPath(homeDir(), `.${options.name}`));
}

/** `~` and `~/...` as a shell would expand them; other paths unchanged. */
export function expandHome(path: string): string {
  if (path === '~') return homeDir();
  if (path.startsWith('~/')) return joinPath(homeDir(), path.slice(2));
  return path;
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
