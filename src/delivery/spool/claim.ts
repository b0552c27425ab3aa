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

/**
 * Claimed files in this directory, including those of a sender that died half-way (their lines
 * carry ids, so nothing doubles). Only regular files: anything else named like one (a directory)
 * is not ours to read and must not block the destination.
 */
export function claimedFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.name.startsWith(CLAIM_PREFIX) && entry.isFile())
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Finishes one claimed file; `keep` receives the text of whole lines and must persist them before
 * returning. Offsets are byte offsets, found in bytes: decoding first would turn an invalid byte
 * into a three-byte replacement character and shift every offset after it.
 */
export function finishClaim(path: string, keep: (text: string) => void): void {
  const fd = openSync(path, 'a+');
  try {
    const first = readFrom(fd, 0);
    const end = first.lastIndexOf(NEWLINE) + 1;
    keep(first.subarray(0, end).toString('utf8'));
    unlinkSync(path);
    writeSync(fd, SEAL_LINE);
    const rest = readFrom(fd, end);
    const seal = rest.indexOf(SEAL_PREFIX);
    const late = seal === -1 ? rest : rest.subarray(0, seal);
    if (late.length > 0) keep(late.toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

const NEWLINE = 0x0a;

function readFrom(fd: number, position: number): Buffer {
  const size = fstatSync(fd).size;
  if (size <= position) return Buffer.alloc(0);
  const buffer = Buffer.alloc(size - position);
  let read = 0;
  while (read < buffer.length) {
    const n = readSync(fd, buffer, read, buffer.length - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}
