import { readEnv, type EnvNames } from '../vocabulary/env-names.js';
import { absoluteOr, expandHome, homeDir, joinPath } from './home-path.js';
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
