import type { Caller, CallerType } from './caller.js';
import { coarse, coarseOptional } from './coarse.js';

/** How an invocation ended. */
export type Outcome = 'ok' | 'error' | 'cancelled';

/** What the CLI tells cmdtel when a command starts. */
export interface StartInput {
  /** The top-level command (`doc`); a short token, else recorded as `_invalid`. */
  command: string;
  /** The operation (`create_document`); optional. */
  subcommand?: string;
  /** The organisation id from the saved login; optional, a short token. */
  corpId?: string;
}

/** What the CLI tells cmdtel when the command ends. Every field is optional. */
export interface EndInput {
  /** The process exit code. Default 0 (or 128 + the signal number when `signal` is given). */
  exitCode?: number;
  /** A short error class (`auth`, `validation`, ...); recorded on errors only. Default `unknown`. */
  errorClass?: string;
  /** Overrides the outcome derived from the exit code. */
  outcome?: Outcome;
  /** The signal that ended the command (`SIGINT`), which makes it `cancelled`. */
  signal?: string;
}

/**
 * One invocation, its coarse dimensions (schema version "1"). Built only
 * from values that passed the coarse-token check or that cmdtel computed.
 */
export interface InvocationEvent {
  readonly schemaVersion: '1';
  readonly ts: string;
  readonly traceId: string;
  readonly corpId: string | undefined;
  readonly cliVersion: string;
  readonly channel: string | undefined;
  readonly os: string;
  /** Who runs it (caller.ts); absent when the CLI turned the dimension off. */
  readonly callerType: CallerType | undefined;
  /** The agent or CI vendor; absent for a person, a script, or when turned off. */
  readonly callerName: string | undefined;
  readonly command: string;
  readonly subcommand: string | undefined;
  readonly outcome: Outcome;
  readonly errClass: string | undefined;
  readonly exitCode: number;
  readonly durationMs: number;
}

/** Stands in for an exit code that was not an integer. */
export const INVALID_EXIT_CODE = -1;
/** SIGINT's conventional exit code: the user pressed Ctrl-C. */
const CANCELLED_EXIT_CODE = 130;
const OUTCOMES: ReadonlySet<string> = new Set(['ok', 'error', 'cancelled']);

export interface EventContext {
  readonly traceId: string;
  readonly cliVersion: string;
  readonly channel: string | undefined;
  readonly os: string;
  readonly caller: Caller | undefined;
}

/** Pure: turns what the CLI said (possibly garbage) into an event. Never throws. */
export function buildEvent(context: EventContext, start: StartInput, end: EndInput, durationMs: number, now: Date): InvocationEvent {
  const startInput = isObject(start) ? start : ({} as StartInput);
  const endInput = isObject(end) ? end : ({} as EndInput);
  const signalCode = signalExitCode(endInput.signal);
  const exitCode = normaliseExitCode(endInput.exitCode, signalCode);
  const outcome = deriveOutcome(endInput.outcome, exitCode, signalCode !== undefined);
  return {
    schemaVersion: '1',
    ts: now.toISOString(),
    traceId: context.traceId,
    corpId: coarseOptional(startInput.corpId),
    cliVersion: context.cliVersion,
    channel: context.channel,
    os: context.os,
    callerType: context.caller?.type,
    callerName: context.caller?.name,
    command: coarse(startInput.command),
    subcommand: coarseOptional(startInput.subcommand),
    outcome,
    errClass: outcome === 'error' ? (coarseOptional(endInput.errorClass) ?? 'unknown') : undefined,
    exitCode,
    durationMs: Number.isFinite(durationMs) && durationMs >= 0 ? Math.round(durationMs) : 0,
  };
}

function normaliseExitCode(exitCode: unknown, signalCode: number | undefined): number {
  if (exitCode === undefined || exitCode === null) return signalCode ?? 0;
  if (typeof exitCode !== 'number' || !Number.isInteger(exitCode)) return INVALID_EXIT_CODE;
  // What the operating system reports for process.exit(n): the low eight bits.
  return exitCode & 0xff;
}

function deriveOutcome(explicit: unknown, exitCode: number, bySignal: boolean): Outcome {
  if (typeof explicit === 'string' && OUTCOMES.has(explicit)) return explicit as Outcome;
  if (bySignal || exitCode === CANCELLED_EXIT_CODE) return 'cancelled';
  return exitCode === 0 ? 'ok' : 'error';
}

function signalExitCode(signal: unknown): number | undefined {
  if (typeof signal !== 'string') return undefined;
  // Loaded only for a signal: node:os costs a module load on a ~45 ms process.
  const { constants } = process.getBuiltinModule('node:os');
  const number = (constants.signals as Record<string, number | undefined>)[signal];
  return number === undefined ? undefined : 128 + number;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}
