import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { InvocationEvent } from '../../vocabulary/invocation-event.js';
import type { OtlpTarget } from '../otlp/pipeline.js';
import { loadPipeline } from '../otlp/load-pipeline.js';
import { claimedFiles, claimNew, finishClaim } from '../spool/claim.js';
import { EVENTS_FILE, PENDING_FILE, TARGET_FILE } from '../spool/layout.js';
import { addLines, applyBounds, hasDrops, loadPending, pendingEvents, savePending, type Pending } from '../spool/pending.js';
import type { SpoolTuning } from '../spool/tuning.js';

/** What target.json holds: an OTLP target without the version, which each event carries. */
export type StoredTarget = Omit<OtlpTarget, 'serviceVersion'>;

export interface DirResult {
  readonly sent: number;
  readonly failed: number;
  readonly error?: unknown;
}

/** The destination directories under the spool root. */
export function destinationDirs(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.includes('.'))
    .map((entry) => join(root, entry.name));
}

/** Whether a command has appended to any destination since the last claim. */
export function hasNewEvents(root: string): boolean {
  return destinationDirs(root).some((dir) => (statSync(join(dir, EVENTS_FILE), { throwIfNoEntry: false })?.size ?? 0) > 0);
}

/** Whether anything at all waits to be delivered. */
export function hasWork(root: string): boolean {
  return destinationDirs(root).some((dir) =>
    [EVENTS_FILE, PENDING_FILE].some((file) => (statSync(join(dir, file), { throwIfNoEntry: false })?.size ?? 0) > 0) || claimedFiles(dir).length > 0,
  );
}

/**
 * One destination, one attempt: move new lines into pending, apply the
 * bounds, send all of it (one request per CLI version, normally one), and
 * remove only what the collector accepted.
 */
export async function deliverDir(dir: string, tuning: SpoolTuning, sequence: number): Promise<DirResult> {
  const pending = loadPending(dir);
  claimNew(dir, sequence);
  for (const path of claimedFiles(dir)) {
    finishClaim(path, (text) => {
      addLines(pending, text);
      savePending(dir, pending);
    });
  }
  applyBounds(pending, tuning.maxBytes, tuning.maxAgeMs, Date.now());
  savePending(dir, pending);
  const events = pendingEvents(pending);
  if (events.length === 0 && !hasDrops(pending)) return { sent: 0, failed: 0 };

  const target = readTarget(dir);
  if (target === undefined) return { sent: 0, failed: events.length, error: new Error('target.json missing or unreadable') };
  return sendGroups(dir, pending, target, groupByVersion(events), tuning.sendTimeoutMs);
}

async function sendGroups(dir: string, pending: Pending, target: StoredTarget, groups: Map<string, InvocationEvent[]>, timeoutMs: number): Promise<DirResult> {
  const pipeline = await loadPipeline();
  let sent = 0;
  let failed = 0;
  let error: unknown;
  let dropsReported = !hasDrops(pending);
  if (groups.size === 0) groups.set(DROPS_ONLY, []);
  for (const [version, events] of groups) {
    const dropped = dropsReported ? undefined : { ...pending.dropped };
    const result = await pipeline.exportEvents({ ...target, serviceVersion: version }, events, Date.now() + timeoutMs, dropped);
    if (!result.delivered) {
      failed += events.length;
      error = result.error;
      continue;
    }
    sent += events.length;
    const delivered = new Set(events);
    for (const [id, entry] of pending.entries) if (entry.kind === 'event' && delivered.has(entry.event)) pending.entries.delete(id);
    if (dropped !== undefined) {
      for (const reason of Object.keys(pending.dropped) as Array<keyof Pending['dropped']>) pending.dropped[reason] = 0;
      dropsReported = true;
    }
    savePending(dir, pending);
  }
  return error === undefined ? { sent, failed } : { sent, failed, error };
}

/** A version for the resource of a request that only reports drops. */
const DROPS_ONLY = 'unknown';

function groupByVersion(events: InvocationEvent[]): Map<string, InvocationEvent[]> {
  const groups = new Map<string, InvocationEvent[]>();
  for (const event of events) {
    const group = groups.get(event.cliVersion);
    if (group === undefined) groups.set(event.cliVersion, [event]);
    else group.push(event);
  }
  return groups;
}

function readTarget(dir: string): StoredTarget | undefined {
  try {
    const value = JSON.parse(readFileSync(join(dir, TARGET_FILE), 'utf8')) as StoredTarget;
    if (typeof value.url !== 'string' || typeof value.serviceName !== 'string' || typeof value.headers !== 'object') return undefined;
    return { url: value.url, headers: value.headers, compression: value.compression === 'gzip' ? 'gzip' : 'none', serviceName: value.serviceName, includeTraceId: value.includeTraceId === true };
  } catch {
    return undefined;
  }
}
