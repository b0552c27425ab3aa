// Where the slow, machine-wide builds (the collector, Prometheus 3) are cached, so that every
// clone and worktree on the same machine reuses them instead of rebuilding for minutes.
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * The user-level cache directory of cmdtel's tooling:
 * `$CMDTEL_CACHE_DIR`, else `$XDG_CACHE_HOME/cmdtel`, else `~/.cache/cmdtel`
 * (or `<os tmpdir>/cmdtel-cache` when there is no home directory).
 * Relative values are ignored, as the XDG specification asks.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string}
 */
export function userCacheDir(env = process.env) {
  if (env.CMDTEL_CACHE_DIR && isAbsolute(env.CMDTEL_CACHE_DIR)) return env.CMDTEL_CACHE_DIR;
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'cmdtel');
  let home = '';
  try {
    home = homedir();
  } catch {
    // No home directory (a system user): fall through to the temporary directory.
  }
  return home ? join(home, '.cache', 'cmdtel') : join(tmpdir(), 'cmdtel-cache');
}
