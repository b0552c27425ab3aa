import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvNames } from '../vocabulary/env-names.js';

const MARKER_FILE = '.telemetry_notice_shown';

/**
 * The one-time disclosure when a distribution turned telemetry on by default.
 * Called only where a person reads stderr (runtime.ts decides: a terminal,
 * not CI, not an agent), so the marker — written only after the notice was —
 * means a person saw it. The marker lives in the config dir; when it cannot be written (read-only
 * home, sandbox) the notice simply shows again next time — never an error.
 */
export function showNoticeOnce(configDir: string, cliName: string, names: EnvNames, userControls: boolean, write: (text: string) => void): void {
  const marker = join(configDir, MARKER_FILE);
  try {
    if (existsSync(marker)) return;
  } catch {
    return;
  }
  write(noticeText(cliName, names, userControls));
  try {
    mkdirSync(configDir, { recursive: true });
    writeFileSync(marker, `${new Date().toISOString()}\n`);
  } catch {
    // Unwritable config dir: costs a repeated notice, nothing more.
  }
}

/** The notice; it names `<cli> telemetry disable` when the CLI offers the user controls. */
export function noticeText(cliName: string, names: EnvNames, userControls: boolean): string {
  const command = userControls ? `${cliName} telemetry disable, or ` : '';
  return (
    `${cliName} sends anonymous usage telemetry (command names, outcome, duration, version, OS, ` +
    `whether a person, a script, CI or an AI agent runs it; never arguments, content, paths or identity) ` +
    `to help keep it reliable.\n` +
    `To turn it off: ${command}export ${names.disabled}=1 (or DO_NOT_TRACK=1). This notice is shown once.\n`
  );
}
