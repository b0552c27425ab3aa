import { closeSync, fstatSync, openSync, readdirSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CLAIM_PREFIX, EVENTS_FILE } from './layout.js';
import { SEAL_LINE, SEAL_PREFIX } from './line.js';

/**
 * The sender's side of the append race (see append.ts). Claiming renames the
 * live events.jsonl away, so new commands start a fresh one. A command that
 * opened the old file just before may still write into it; so each claimed
 * file is finished in a fixed order:
 *   1. read everything up to the last newline and hand it over (`keep`), which
 *      must make it durable;
 *   2. unlink the file (a late writer now sees nlink 0);
 *   3. append the seal through our own descriptor;
 *   4. read what lies between step 1's end and the seal and hand that over too.
 * Lines before the seal are ours; a line after it is its writer's to re-append.
 */
export function claimNew(dir: string, sequence: number): void {
  try {
    renameSync(join(dir, EVENTS_FILE), join(dir, `${CLAIM_PREFIX}${process.pid}-${Date.now()}-${sequence}.jsonl`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Claimed files in this directory, including those of a sender that died half-way (their lines carry ids, so nothing doubles). */
export function claimedFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith(CLAIM_PREFIX))
    .sort()
    .map((name) => join(dir, name));
}

/** Finishes one claimed file; `keep` receives the text of whole lines and must persist them before returning. */
export function finishClaim(path: string, keep: (text: string) => void): void {
  const fd = openSync(path, 'a+');
  try {
    const first = readFrom(fd, 0);
    const end = first.lastIndexOf('\n') + 1;
    keep(first.slice(0, end));
    unlinkSync(path);
    writeSync(fd, SEAL_LINE);
    const rest = readFrom(fd, Buffer.byteLength(first.slice(0, end)));
    const seal = rest.indexOf(SEAL_PREFIX);
    const late = seal === -1 ? rest : rest.slice(0, seal);
    if (late !== '') keep(late);
  } finally {
    closeSync(fd);
  }
}

function readFrom(fd: number, position: number): string {
  const size = fstatSync(fd).size;
  if (size <= position) return '';
  const buffer = Buffer.alloc(size - position);
  let read = 0;
  while (read < buffer.length) {
    const n = readSync(fd, buffer, read, buffer.length - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return buffer.toString('utf8', 0, read);
}
