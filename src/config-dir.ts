import { readEnv, type EnvNames } from './env-names.js';
import { nodeRequire } from './node-require.js';
import type { ResolvedOptions } from './options.js';

/** The CLI's config dir: the option, else `<P>_CONFIG_DIR`, else `~/.<name>`. */
export function resolveConfigDir(options: ResolvedOptions, names: EnvNames): string {
  const { homedir } = nodeRequire('node:os') as typeof import('node:os');
  const { join } = nodeRequire('node:path') as typeof import('node:path');
  return expandHome(options.configDir ?? readEnv(options.env, names.configDir) ?? join(homedir(), `.${options.name}`));
}

/** `~` and `~/...` as a shell would expand them; other paths unchanged. */
export function expandHome(path: string): string {
  const { homedir } = nodeRequire('node:os') as typeof import('node:os');
  const { join } = nodeRequire('node:path') as typeof import('node:path');
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return path;
}
