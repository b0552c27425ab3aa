import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { InvocationEvent } from '../../vocabulary/invocation-event.js';
import type { OtlpTarget } from '../otlp/pipeline.js';
import { loadPipeline } from '../otlp/load-pipeline.js';
import { claimedFiles, claimNew, finishClaim } from '../spool/claim.js';
import { EVENTS_FILE, PENDING_FILE, TARGET_FILE } from '../spool/layout.js';
import type { DropReason } from '../spool/line.js';
import { addLines, applyBounds, hasDrops, loadPending, pendingEvents, savePending, type Pending } from '../spool/pending.js';
import type { SpoolTuning } from '../spool/tuning.js';

/** What target.json holds: an OTLP target without the version, which each event carries. */
export type StoredTarget = Omit<OtlpTarget, 'serviceVersion'>;

export interface DirResult {
  readonly sent: number;
  readonly failed: number;
  readonly error?: unknown;
  /** The longest `Retry-After` a collector asked for in this attempt. */
  readonly retryAfterMs?: number;
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
  return destinationDirs(root).some(
    (dir) => [EVENTS_FILE, PENDING_FILE].some((file) => (statSync(join(dir, file), { throwIfNoEntry: false })?.size ?? 0) > 0) || claimedFiles(dir).length > 0,
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

/**
 * Sends each version's events as one request and acts on the answer, once —
 * the sender's loop (run.ts) is the only place that tries again:
 * - delivered: the events leave pending, and the drop counts that rode along are reset;
 * - too-large (413): the batch is halved and each half sent, down to single events; a single
 *   event still too large is dropped and counted (`too-large`);
 * - rejected (any other 4xx but 401/403/408/429): the collector will never take it; dropped
 *   and counted (`rejected`) rather than retried for the whole age bound;
 * - retry, unauthorized (401/403: a token can be fixed): kept for the next attempt.
 */
async function sendGroups(dir: string, pending: Pending, target: StoredTarget, groups: Map<string, InvocationEvent[]>, timeoutMs: number): Promise<DirResult> {
  const pipeline = await loadPipeline();
  const state: SendState = { sent: 0, failed: 0, error: undefined, retryAfterMs: undefined, dropsReported: !hasDrops(pending) };
  if (groups.size === 0) groups.set(DROPS_ONLY, []);
  for (const [version, events] of groups) await sendBatch(pipeline, dir, pending, { ...target, serviceVersion: version }, events, timeoutMs, state);
  const { sent, failed, error, retryAfterMs } = state;
  if (error === undefined) return { sent, failed };
  return retryAfterMs === undefined ? { sent, failed, error } : { sent, failed, error, retryAfterMs };
}

interface SendState {
  sent: number;
  failed: number;
  error: unknown;
  retryAfterMs: number | undefined;
  dropsReported: boolean;
}

async function sendBatch(
  pipeline: Awaited<ReturnType<typeof loadPipeline>>,
  dir: string,
  pending: Pending,
  target: OtlpTarget,
  events: InvocationEvent[],
  timeoutMs: number,
  state: SendState,
): Promise<void> {
  const dropped = state.dropsReported ? undefined : { ...pending.dropped };
  const result = await pipeline.exportEvents(target, events, Date.now() + timeoutMs, dropped);
  if (result.verdict === 'too-large' && events.length > 1) {
    const half = Math.ceil(events.length / 2);
    await sendBatch(pipeline, dir, pending, target, events.slice(0, half), timeoutMs, state);
    await sendBatch(pipeline, dir, pending, target, events.slice(half), timeoutMs, state);
    return;
  }
  if (result.verdict === 'delivered' || result.verdict === 'rejected' || result.verdict === 'too-large') {
    // Settled for good, either way: these events leave pending.
    removeEvents(pending, events);
    if (result.verdict === 'delivered') {
      state.sent += events.length;
      if (dropped !== undefined) {
        // Only what this request reported: drops counted while it was in flight stay.
        for (const reason of Object.keys(dropped) as DropReason[]) pending.dropped[reason] -= dropped[reason];
        state.dropsReported = true;
      }
    } else if (events.length > 0) {
      pending.dropped[result.verdict] += events.length;
    } else {
      // A request carrying only drop counts, refused for good: nothing can carry them any more.
      for (const reason of Object.keys(pending.dropped) as DropReason[]) pending.dropped[reason] = 0;
      state.dropsReported = true;
    }
    savePending(dir, pending);
    return;
  }
  state.failed += events.length;
  state.error = result.error;
  if (result.retryAfterMs !== undefined) state.retryAfterMs = Math.max(state.retryAfterMs ?? 0, result.retryAfterMs);
}

function removeEvents(pending: Pending, events: readonly InvocationEvent[]): void {
  const settled = new Set(events);
  for (const [id, entry] of pending.entries) if (entry.kind === 'event' && settled.has(entry.event)) pending.entries.delete(id);
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
    return {
      url: value.url,
      headers: value.headers,
      compression: value.compression === 'gzip' ? 'gzip' : 'none',
      serviceName: value.serviceName,
      includeTraceId: value.includeTraceId === true,
    };
  } catch {
    return undefined;
  }
}
