import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { IExporterTransport } from '@opentelemetry/otlp-exporter-base';
import { nodeRequire } from '../../start/node-require.js';

/**
 * The HTTP leg of cmdtel's OTLP exporter. The exporter's own transport
 * retries a refused connection after about a second on a timer that keeps
 * the process alive — a second added to a command for nothing. This one:
 * - gives up at once when nobody listens (the background spool keeps the data for later);
 * - retries 429/502/503/504 only while the retry fits before the deadline;
 * - never lets a timer or socket outlive `shutdown()`: timers are unref'd, the agent destroyed;
 * - reads nothing from the environment: the exporter's HTTP configuration would merge
 *   OTEL_EXPORTER_OTLP_HEADERS (often a user's keys for another backend) into every request.
 */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const FIRST_BACKOFF_MS = 100;
const MAX_ATTEMPTS = 3;

export interface HttpTransportOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly compression: 'gzip' | 'none';
}

type Attempt = { status: 'success' } | { status: 'failure'; error: Error } | { status: 'retryable'; error: Error; retryInMs: number | undefined };

export function createHttpTransport(options: HttpTransportOptions): IExporterTransport {
  const url = new URL(options.url);
  const isHttps = url.protocol === 'https:';
  // Only the module the URL needs: node:https drags in TLS and crypto (≈ 8 ms) that plain http never uses.
  const http = nodeRequire(isHttps ? 'node:https' : 'node:http') as typeof import('node:http');
  const agent = new http.Agent({ keepAlive: false });
  return {
    async send(data, timeoutMillis) {
      const deadline = Date.now() + timeoutMillis;
      const body = options.compression === 'gzip' ? (nodeRequire('node:zlib') as typeof import('node:zlib')).gzipSync(data) : data;
      let backoff = FIRST_BACKOFF_MS;
      for (let attempt = 1; ; attempt += 1) {
        const result = await post(url, http.request, agent, options, body, deadline);
        if (result.status !== 'retryable') return result;
        const wait = result.retryInMs ?? backoff * (0.8 + Math.random() * 0.4);
        backoff *= 2;
        if (attempt >= MAX_ATTEMPTS || Date.now() + wait >= deadline) return { status: 'retryable', error: result.error };
        await sleepUnref(wait);
      }
    },
    shutdown() {
      agent.destroy();
    },
  };
}

function post(url: URL, send: typeof import('node:http').request, agent: HttpAgent | HttpsAgent, options: HttpTransportOptions, body: Uint8Array, deadline: number): Promise<Attempt> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...options.headers, 'Content-Type': 'application/json', 'Content-Length': body.byteLength, 'User-Agent': 'cmdtel' };
    if (options.compression === 'gzip') headers['Content-Encoding'] = 'gzip';
    const request = send(url, { method: 'POST', agent, headers }, (response) => settle(response, resolve));
    const remaining = Math.max(1, deadline - Date.now());
    request.setTimeout(remaining, () => {
      request.destroy();
      resolve({ status: 'retryable', error: new Error('request timed out'), retryInMs: undefined });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      // Refused: nobody is listening, so a retry a moment later would only delay the command.
      resolve(error.code === 'ECONNREFUSED' ? { status: 'failure', error } : { status: 'retryable', error, retryInMs: undefined });
    });
    request.end(body);
  });
}

function settle(response: IncomingMessage, resolve: (attempt: Attempt) => void): void {
  response.resume(); // the body is not needed; drain it so the socket closes
  response.on('end', () => {
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return resolve({ status: 'success' });
    const error = new Error(`the endpoint answered ${status}`);
    if (RETRYABLE_STATUS.has(status)) return resolve({ status: 'retryable', error, retryInMs: retryAfterMs(response.headers['retry-after']) });
    resolve({ status: 'failure', error });
  });
  response.on('error', (error) => resolve({ status: 'retryable', error, retryInMs: undefined }));
}

function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function sleepUnref(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
