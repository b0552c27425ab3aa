/**
 * The spool's limits and the sender's timing. Defaults suit people typing
 * commands; `CMDTEL_SPOOL_TUNING` (`key=value,...`, milliseconds and bytes)
 * exists for tests and benchmarks and is not a stable interface.
 */
export interface SpoolTuning {
  /**
   * The sender exits after this long with nothing to send. Long enough that commands run in quick
   * succession (a script, a person iterating) find it running and pay no spawn; docs/delivery.md.
   */
  readonly idleMs: number;
  /** How often an idle sender looks for new events, for the first `slowPollAfterMs` of quiet. */
  readonly pollMs: number;
  /** After this long without new events the sender looks only every `slowPollMs`: an idle process barely wakes. */
  readonly slowPollAfterMs: number;
  readonly slowPollMs: number;
  /** Having found new events, the sender waits this long for more, so a burst becomes one request. */
  readonly gatherMs: number;
  /** First retry delay after a failed send; doubles up to `backoffMaxMs`. */
  readonly backoffMinMs: number;
  readonly backoffMaxMs: number;
  /** A collector's `Retry-After` is honoured up to this long. */
  readonly retryAfterMaxMs: number;
  /** A sender lives at most this long; then it hands over or leaves a cool-down. */
  readonly lifetimeMs: number;
  /** After a sender gave up on a dead collector, no new sender starts for this long. */
  readonly cooldownMs: number;
  /** Each send attempt may take this long. */
  readonly sendTimeoutMs: number;
  /** Undelivered events kept per destination, in bytes; the oldest beyond it are dropped. */
  readonly maxBytes: number;
  /** Undelivered events older than this are dropped. */
  readonly maxAgeMs: number;
}

export const DEFAULT_TUNING: SpoolTuning = {
  idleMs: 30_000,
  pollMs: 200,
  slowPollAfterMs: 5_000,
  slowPollMs: 1_000,
  gatherMs: 200,
  backoffMinMs: 1_000,
  backoffMaxMs: 30_000,
  retryAfterMaxMs: 300_000,
  lifetimeMs: 120_000,
  cooldownMs: 60_000,
  sendTimeoutMs: 10_000,
  maxBytes: 1024 * 1024,
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
};

export const TUNING_ENV = 'CMDTEL_SPOOL_TUNING';

/** Reads `key=value,...`; unknown keys and values that are not positive integers are ignored. */
export function parseTuning(text: string | undefined): SpoolTuning {
  const tuning: Record<string, number> = { ...DEFAULT_TUNING };
  if (text === undefined) return tuning as unknown as SpoolTuning;
  for (const entry of text.split(',')) {
    const [key, value] = entry.split('=').map((part) => part.trim());
    if (key === undefined || value === undefined || !Object.hasOwn(DEFAULT_TUNING, key)) continue;
    const number = Number(value);
    if (Number.isSafeInteger(number) && number > 0) tuning[key] = number;
  }
  return tuning as unknown as SpoolTuning;
}

/** The inverse of {@link parseTuning}, for the sender's argv (nothing secret in it). */
export function formatTuning(tuning: SpoolTuning): string {
  return Object.entries(tuning)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}
