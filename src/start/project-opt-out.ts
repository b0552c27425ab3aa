import { builtin } from './late-load.js';
import { readUserChoice } from './user-choice.js';

/**
 * The zero-code, per-project opt-out: a committed `.<name>/telemetry.json`
 * saying `{"enabled": false}` — the same file `mycli telemetry disable`
 * writes into the user's config dir, placed in the project instead. Looked
 * for in the working directory and its parents up to the project root (the
 * first directory holding `.git`), at most {@link MAX_LEVELS} levels. Only
 * consulted once everything else said on (decision.ts), so a run with
 * telemetry off never touches the disk for it. A project can only opt out:
 * `{"enabled": true}` there means nothing.
 */
export const MAX_LEVELS = 32;

/** The opting-out file's path, or undefined when the project did not opt out. Never throws. */
export function findProjectOptOut(cliName: string, startDir: string | undefined, userConfigDir: string): string | undefined {
  const { existsSync } = builtin('node:fs');
  const { dirname, join, resolve } = builtin('node:path');
  try {
    let dir = resolve(startDir ?? process.cwd());
    // The user's own config dir has the same layout; its choice is not a project's.
    const ownChoiceDir = resolve(userConfigDir);
    for (let level = 0; level < MAX_LEVELS; level++) {
      const candidate = join(dir, `.${cliName}`);
      if (candidate !== ownChoiceDir && readUserChoice(candidate) === 'off') return join(candidate, 'telemetry.json');
      if (existsSync(join(dir, '.git'))) return undefined;
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  } catch {
    // A deleted working directory, an unreadable parent: no opt-out found.
  }
  return undefined;
}
