/**
 * What one OTLP request came to, as cmdtel's single retry policy (the
 * sender's loop, sender/run.ts) needs to know it. The HTTP transport makes
 * exactly one attempt and classifies it; nobody below the sender retries, so
 * a lost answer costs at most one more delivery of that batch.
 *
 * - `delivered`: a 2xx status arrived (whatever happened to the body after it);
 * - `retry`: worth sending again later — 429, 408, 5xx, a timeout, a dropped
 *   connection, nobody listening; `retryAfterMs` when the collector said when;
 * - `unauthorized`: 401/403 — kept and retried within the age bound, since a token can be fixed;
 * - `too-large`: 413 — the sender splits the batch;
 * - `rejected`: any other 4xx — the collector will never take this batch; dropped and counted.
 */
export type SendVerdict = 'delivered' | 'retry' | 'unauthorized' | 'too-large' | 'rejected';

export interface SendOutcome {
  readonly verdict: SendVerdict;
  readonly error?: Error;
  readonly retryAfterMs?: number;
}

/** Classifies an HTTP status (the answer's first line: what follows it does not change it). */
export function verdictOf(status: number): SendVerdict {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 413) return 'too-large';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'rejected';
}

/** `Retry-After` as delta-seconds or an HTTP-date, in milliseconds from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^[0-9]+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
