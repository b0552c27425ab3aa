import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InvocationEvent } from '../../vocabulary/invocation-event.js';
import { PENDING_FILE } from './layout.js';
import { decodeLine, type DropReason, type SpoolEntry } from './line.js';

/**
 * The sender's undelivered events for one destination, kept in
 * pending.jsonl: a first line with the drop counts not yet reported, then one
 * spool line per event. Keyed by line id, so re-reading a claimed file a
 * crashed sender had already moved here adds nothing twice.
 */
export interface Pending {
  readonly entries: Map<string, SpoolEntry>;
  readonly dropped: Record<DropReason, number>;
}

const NO_DROPS: Record<DropReason, number> = { age: 0, size: 0, corrupt: 0, overflow: 0 };

export function loadPending(dir: string): Pending {
  const pending: Pending = { entries: new Map(), dropped: { ...NO_DROPS } };
  let text: string;
  try {
    text = readFileSync(join(dir, PENDING_FILE), 'utf8');
  } catch {
    return pending;
  }
  const newline = text.indexOf('\n');
  try {
    const header = JSON.parse(text.slice(0, newline)) as { dropped?: Partial<Record<DropReason, number>> };
    for (const reason of Object.keys(NO_DROPS) as DropReason[]) {
      const count = header.dropped?.[reason];
      if (Number.isSafeInteger(count) && (count as number) > 0) pending.dropped[reason] = count as number;
    }
  } catch {
    // A damaged header loses only counts it carried.
  }
  addLines(pending, text.slice(newline + 1));
  return pending;
}

/** Adds whole lines; a line that is not a valid entry is skipped and counted as `corrupt`. */
export function addLines(pending: Pending, text: string): void {
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('{"seal"')) continue;
    const entry = decodeLine(line);
    if (entry === undefined) pending.dropped.corrupt += 1;
    else if (!pending.entries.has(entry.id)) pending.entries.set(entry.id, entry);
  }
}

/** Writes pending.jsonl atomically (temporary file, then rename), or removes it when nothing is left. */
export function savePending(dir: string, pending: Pending): void {
  const path = join(dir, PENDING_FILE);
  if (pending.entries.size === 0 && Object.values(pending.dropped).every((count) => count === 0)) {
    try {
      unlinkSync(path);
    } catch {
      // Nothing there.
    }
    return;
  }
  let text = `${JSON.stringify({ dropped: pending.dropped })}\n`;
  for (const entry of pending.entries.values()) text += entry.line;
  const temporary = `${path}.${process.pid}`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, path);
}

/**
 * Applies the bounds: events older than `maxAgeMs` go, then the oldest until
 * the lines fit in `maxBytes`. Overflow markers become counts. Every dropped
 * event is counted by reason, to be reported as `cli.telemetry.dropped`.
 */
export function applyBounds(pending: Pending, maxBytes: number, maxAgeMs: number, now: number): void {
  const events: Array<{ id: string; time: number; bytes: number }> = [];
  for (const [id, entry] of pending.entries) {
    if (entry.kind === 'drop') {
      pending.dropped[entry.reason] += 1;
      pending.entries.delete(id);
      continue;
    }
    const time = Date.parse(entry.event.ts);
    if (now - time > maxAgeMs) {
      pending.dropped.age += 1;
      pending.entries.delete(id);
      continue;
    }
    events.push({ id, time, bytes: Buffer.byteLength(entry.line) });
  }
  let total = events.reduce((sum, event) => sum + event.bytes, 0);
  if (total <= maxBytes) return;
  events.sort((a, b) => a.time - b.time);
  for (const event of events) {
    if (total <= maxBytes) break;
    pending.entries.delete(event.id);
    pending.dropped.size += 1;
    total -= event.bytes;
  }
}

export function pendingEvents(pending: Pending): InvocationEvent[] {
  const events: InvocationEvent[] = [];
  for (const entry of pending.entries.values()) if (entry.kind === 'event') events.push(entry.event);
  return events;
}

export function hasDrops(pending: Pending): boolean {
  return Object.values(pending.dropped).some((count) => count > 0);
}
