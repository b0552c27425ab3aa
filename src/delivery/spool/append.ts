import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { encodeDrop, SEAL_PREFIX } from './line.js';
import { EVENTS_FILE, TARGET_FILE } from './layout.js';

/** A command's view of one destination's spool directory. */
export interface SpoolPlace {
  readonly root: string;
  readonly dir: string;
  /** target.json's content: where the sender sends this directory's events. */
  readonly targetJson: string;
}

/** Lines appended after the spool reached this multiple of its bound become a short overflow marker. */
const OVERFLOW_FACTOR = 4;
const MAX_RESCUES = 3;

/**
 * Appends one line with a single write to a file opened O_APPEND, so many
 * commands can append at once and every line stays whole. Throws when the
 * spool cannot be written; the caller decides what that means.
 *
 * The race with the sender: it renames events.jsonl away to claim it, so a
 * command that opened the file just before keeps writing into the claimed
 * file. That is fine until the sender has finished with it, and the sender
 * finishes in a fixed order (claim.ts): unlink, then append a seal line, then
 * read everything before the seal. So after writing, a command checks its own
 * file: still linked → the sender has not sealed it, the line will be read;
 * unlinked and the seal lies after our line → the sender read it; unlinked and
 * the seal lies before our line → nobody will read it, so it is appended
 * again to the live file. Appends are totally ordered, so exactly one case holds.
 */
export function appendLine(place: SpoolPlace, line: string, id: string, maxBytes: number, rescue = 0): void {
  const path = join(place.dir, EVENTS_FILE);
  const fd = openEvents(place, path);
  try {
    const full = fstatSync(fd).size >= maxBytes * OVERFLOW_FACTOR;
    writeSync(fd, full ? encodeDrop(id, 'overflow') : line);
    if (fstatSync(fd).nlink === 0 && sealedBefore(fd, id) && rescue < MAX_RESCUES) {
      appendLine(place, line, id, maxBytes, rescue + 1);
    }
  } finally {
    closeSync(fd);
  }
}

function openEvents(place: SpoolPlace, path: string): number {
  try {
    return openSync(path, 'a+', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    createPlace(place);
    return openSync(path, 'a+', 0o600);
  }
}

/**
 * Creates the destination directory with its target.json already inside
 * (built under a temporary name, then renamed): whoever sees the directory
 * also sees where its events go. The token is in target.json, hence 0700/0600.
 */
function createPlace(place: SpoolPlace): void {
  mkdirSync(place.root, { recursive: true, mode: 0o700 });
  const temporary = `${place.dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(temporary, { mode: 0o700 });
  try {
    writeFileSync(join(temporary, TARGET_FILE), place.targetJson, { mode: 0o600 });
    renameSync(temporary, place.dir);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error; // another command created it first
  }
}

/** Whether a seal line comes before the line with this id in the (unlinked) file. Rare: only after losing a race. */
function sealedBefore(fd: number, id: string): boolean {
  const size = fstatSync(fd).size;
  const buffer = Buffer.alloc(size);
  let read = 0;
  while (read < size) {
    const n = readSync(fd, buffer, read, size - read, read);
    if (n === 0) break;
    read += n;
  }
  const text = buffer.toString('utf8', 0, read);
  const own = text.indexOf(`{"id":"${id}"`);
  const seal = text.indexOf(SEAL_PREFIX);
  return seal !== -1 && (own === -1 || seal < own);
}
