import { CALLER_TYPES, callerNames, type CallerType } from '../../vocabulary/caller.js';
import { coarse, coarseOptional } from '../../vocabulary/coarse.js';
import { randomHex } from '../../start/random-hex.js';
import { toEventLine } from '../../vocabulary/event-line.js';
import type { InvocationEvent, Outcome } from '../../vocabulary/invocation-event.js';

/**
 * One spool line per invocation: `{"id":"<16 hex>","ev":{<the file-sink line>}}`.
 * The id makes moving lines between files idempotent (a sender that dies
 * half-way never duplicates), and lets a writer find its own line (append.ts).
 * Two more kinds of line: `{"id":..,"drop":"overflow"}` stands for an event a
 * command could not spool (the spool was full), and the seal a sender appends
 * to a claimed file (claim.ts).
 *
 * A line the disk cut short (or a file left without its final newline) runs
 * into the next line; the reader splits such a line where the next entry
 * begins (`splitGlued`), so the fragment costs only itself.
 */
export const SEAL_LINE = '\n{"seal":1}\n';
export const SEAL_PREFIX = '{"seal"';

/**
 * Why an event was dropped (`cli.telemetry.drop.reason`): `age` and `size` the spool's bounds, `corrupt` an
 * unreadable line, `overflow` a full spool, `rejected` a batch the collector refused for good (4xx other than
 * 401/403/408/413/429), `too-large` a single event the collector still answered 413 to.
 */
export type DropReason = 'age' | 'size' | 'corrupt' | 'overflow' | 'rejected' | 'too-large';

export type SpoolEntry =
  | { readonly kind: 'event'; readonly id: string; readonly event: InvocationEvent; readonly line: string }
  | { readonly kind: 'drop'; readonly id: string; readonly reason: DropReason; readonly line: string };

const ENTRY_START = '{"id":"';

/**
 * One physical line as the entries it holds: normally one; more when a torn
 * line ran into the next. Every entry starts with `{"id":"`, which no value
 * inside an entry can contain (they are coarse tokens, hex and numbers).
 */
export function splitGlued(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let next = text.indexOf(ENTRY_START, 1); next !== -1; next = text.indexOf(ENTRY_START, next + 1)) {
    parts.push(text.slice(start, next));
    start = next;
  }
  parts.push(text.slice(start));
  return parts;
}

export function newLineId(): string {
  return randomHex(8);
}

export function encodeEvent(id: string, event: InvocationEvent): string {
  return `{"id":"${id}","ev":${toEventLine(event).trimEnd()}}\n`;
}

export function encodeDrop(id: string, reason: DropReason): string {
  return `{"id":"${id}","drop":"${reason}"}\n`;
}

/** Parses one line (without its newline); undefined for anything that is not a well-formed entry. */
export function decodeLine(text: string): SpoolEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || typeof value.id !== 'string' || !/^[0-9a-f]{16}$/.test(value.id)) return undefined;
  const line = `${text}\n`;
  if (typeof value.drop === 'string' && MARKED_DROPS.has(value.drop)) return { kind: 'drop', id: value.id, reason: value.drop as DropReason, line };
  const event = isRecord(value.ev) ? toEvent(value.ev) : undefined;
  return event === undefined ? undefined : { kind: 'event', id: value.id, event, line };
}

const OUTCOMES = new Set(['ok', 'error', 'cancelled']);
/** Drops a command writes as a marker line: a full spool, or an inline batch the collector refused for good. */
const MARKED_DROPS = new Set<string>(['overflow', 'rejected']);

/**
 * The file-sink form back into an event. The spool is a file on disk that
 * anything could have edited, so every string goes through the coarse-token
 * check again: the privacy boundary holds even for a tampered spool.
 */
function toEvent(line: Record<string, unknown>): InvocationEvent | undefined {
  const { ts, trace_id: traceId, outcome, exit_code: exitCode, duration_ms: durationMs } = line;
  if (typeof ts !== 'string' || Number.isNaN(Date.parse(ts))) return undefined;
  if (typeof traceId !== 'string' || !/^[0-9a-f]{32}$/.test(traceId)) return undefined;
  if (typeof outcome !== 'string' || !OUTCOMES.has(outcome)) return undefined;
  if (!Number.isInteger(exitCode) || !Number.isInteger(durationMs) || (durationMs as number) < 0) return undefined;
  if (typeof line.command !== 'string' || typeof line.cli_version !== 'string' || typeof line.os !== 'string') return undefined;
  return {
    schemaVersion: '1',
    ts,
    traceId,
    corpId: coarseOptional(line.corp_id),
    cliVersion: coarse(line.cli_version),
    channel: coarseOptional(line.channel),
    os: coarse(line.os),
    callerType: oneOf(CALLER_TYPES, line.caller_type) as CallerType | undefined,
    callerName: oneOf(callerNames(), line.caller_name),
    command: coarse(line.command),
    subcommand: coarseOptional(line.subcommand),
    outcome: outcome as Outcome,
    errClass: outcome === 'error' ? (coarseOptional(line.err_class) ?? 'unknown') : undefined,
    exitCode: exitCode as number,
    durationMs: durationMs as number,
  };
}

/** The caller dimension has a closed value set: anything else in an edited spool is dropped, never sent. */
function oneOf(allowed: readonly string[], value: unknown): string | undefined {
  return typeof value === 'string' && allowed.includes(value) ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
