import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { IExporterTransport } from '@opentelemetry/otlp-exporter-base';
import { builtin } from '../../start/late-load.js';
import { retryAfterMs, verdictOf, type SendOutcome } from './send-outcome.js';

/**
 * The HTTP leg of cmdtel's OTLP exporter: exactly one attempt per export.
 * - It never retries. Retrying is the sender's job alone (sender/run.ts); a
 *   retry here as well multiplied every lost answer by this loop's attempts.
 * - A 2xx status line is a delivery: the collector has taken the data, and a
 *   connection dropped while the body follows changes nothing.
 * - It classifies the outcome (send-outcome.ts) for the caller, `Retry-After` included.
 * - It never lets a timer or socket outlive `shutdown()`: the agent is destroyed.
 * - It reads nothing from the environment: the exporter's HTTP configuration would merge
 *   OTEL_EXPORTER_OTLP_HEADERS (often a user's keys for another backend) into every request.
 */
export interface HttpTransportOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly compression: 'gzip' | 'none';
}

export interface CmdtelTransport extends IExporterTransport {
  /** How the last send ended; undefined before the first ends. */
  lastOutcome(): SendOutcome | undefined;
}

export function createHttpTransport(options: HttpTransportOptions): CmdtelTransport {
  const url = new URL(options.url);
  const isHttps = url.protocol === 'https:';
  // Only the module the URL needs: node:https drags in TLS and crypto (≈ 8 ms) that plain http never uses.
  const http = isHttps ? builtin('node:https') : builtin('node:http');
  const agent = new http.Agent({ keepAlive: false });
  let last: SendOutcome | undefined;
  return {
    async send(data, timeoutMillis) {
      const body = options.compression === 'gzip' ? builtin('node:zlib').gzipSync(data) : data;
      last = await post(url, http.request, agent, options, body, Date.now() + timeoutMillis);
      if (last.verdict === 'delivered') return { status: 'success' };
      // 'failure' for all the rest: the exporter must not retry either; the sender reads lastOutcome().
      return { status: 'failure', error: last.error ?? new Error('not delivered') };
    },
    lastOutcome: () => last,
    shutdown() {
      agent.destroy();
    },
  };
}

function post(
  url: URL,
  send: typeof import('node:http').request,
  agent: HttpAgent | HttpsAgent,
  options: HttpTransportOptions,
  body: Uint8Array,
  deadline: number,
): Promise<SendOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const headers: Record<string, string | number> = {
      ...options.headers,
      'Content-Type': 'application/json',
      'Content-Length': body.byteLength,
      'User-Agent': 'cmdtel',
    };
    if (options.compression === 'gzip') headers['Content-Encoding'] = 'gzip';
    let request: import('node:http').ClientRequest;
    try {
      request = send(url, { method: 'POST', agent, headers }, (response) => settle(answered(response)));
    } catch (error) {
      // A header value Node refuses to send (checked at creation too: config.ts).
      return settle({ verdict: 'rejected', error: error as Error });
    }
    request.setTimeout(Math.max(1, deadline - Date.now()), () => {
      settle({ verdict: 'retry', error: new Error('request timed out') });
      request.destroy();
    });
    request.on('error', (error: NodeJS.ErrnoException) => settle({ verdict: 'retry', error }));
    request.end(body);
  });
}

/** The status line decides; the body is drained and ignored, and an error while it streams changes nothing. */
function answered(response: IncomingMessage): SendOutcome {
  response.on('error', () => {});
  response.resume();
  const status = response.statusCode ?? 0;
  const verdict = verdictOf(status);
  if (verdict === 'delivered') return { verdict };
  const header = response.headers['retry-after'];
  return { verdict, error: new Error(`the endpoint answered ${status}`), retryAfterMs: retryAfterMs(Array.isArray(header) ? header[0] : header) };
}
