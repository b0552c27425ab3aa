import { builtin } from './late-load.js';

/**
 * The user's own on/off choice (`mycli telemetry enable|disable`), kept in
 * the CLI's config dir. Environment variables still win over it.
 */
const CHOICE_FILE = 'telemetry.json';

export type UserChoice = 'on' | 'off';

/** The saved choice, or undefined when there is none or it cannot be read. */
export function readUserChoice(configDir: string): UserChoice | undefined {
  const { existsSync, readFileSync } = builtin('node:fs');
  const { join } = builtin('node:path');
  const path = join(configDir, CHOICE_FILE);
  // The usual case is no file; existsSync answers it without building an error.
  if (!existsSync(path)) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const saved = JSON.parse(text) as { enabled?: unknown };
    if (saved.enabled === true) return 'on';
    if (saved.enabled === false) return 'off';
  } catch {
    // A damaged file is the same as no choice.
  }
  return undefined;
}

/** Saves the choice; returns false (and changes nothing) when the config dir is not writable. */
export function saveUserChoice(configDir: string, choice: UserChoice): boolean {
  const { mkdirSync, writeFileSync } = builtin('node:fs');
  const { join } = builtin('node:path');
  try {
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, CHOICE_FILE), `${JSON.stringify({ enabled: choice === 'on' })}\n`);
    return true;
  } catch {
    return false;
  }
}
