import { homedir } from 'node:os';
import { join } from 'node:path';
import { readEnv, type EnvNames } from './env-names.js';
import type { ResolvedOptions } from './options.js';

/** The CLI's config dir: the option, else `<P>_CONFIG_DIR`, else `~/.<name>`. */
export function resolveConfigDir(options: ResolvedOptions, names: EnvNames): string {
  return expandHome(options.configDir ?? readEnv(options.env, names.configDir) ?? join(homedir(), `.${options.name}`));
}

/** `~` and `~/...` as a shell would expand them; other paths unchanged. */
export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return path;
}
