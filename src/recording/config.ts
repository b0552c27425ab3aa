import { expandHome } from '../start/home-path.js';
import { coarseTokenCheck, httpUrlCheck, MAX_TIMEOUT_MS, oneOfCheck, timeoutCheck, tokenCheck, type ValueCheck } from './env-checks.js';
import { readEnv, STANDARD_ENV, type Env, type EnvNames } from '../vocabulary/env-names.js';
import { appendMetricsPath, parseOtlpHeaders, withMetricsPath } from './otlp-endpoint.js';
import type { ResolvedOptions } from '../start/options.js';
import { readSwitch } from '../start/switches.js';
import type { Warn } from '../start/warnings.js';
import { loadZod } from './zod-loader.js';

export const DEFAULT_TIMEOUT_MS = 1500;

export type Delivery = 'inline' | 'background';

export type Destination =
  | { readonly kind: 'file'; readonly path: string }
  | {
      readonly kind: 'otlp';
      readonly url: string;
      /** Includes `Authorization: Bearer ...` when a token applies. */
      readonly headers: Readonly<Record<string, string>>;
      readonly compression: 'gzip' | 'none';
    }
  | { readonly kind: 'host' };

/** Everything cmdtel needs once it is on, read from the environment and the options. */
export interface TelemetryConfig {
  readonly destination: Destination;
  readonly timeoutMs: number;
  readonly debug: boolean;
  readonly delivery: Delivery;
  readonly channel: string | undefined;
}

/**
 * Reads and validates the configuration (only called once telemetry is on).
 * A bad value warns once, naming the variable, and falls back to its default;
 * nothing here throws. Returns undefined when no usable destination is left.
 *
 * Precedence: file sink, then the host's MeterProvider, then OTLP; for the endpoint `<P>_TELEMETRY_URL`, then
 * `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`, then `OTEL_EXPORTER_OTLP_ENDPOINT`,
 * then the distribution's baked-in `defaults.url`. Credentials never cross
 * owners: the baked-in token goes only to the baked-in URL, and the generic
 * `OTEL_EXPORTER_OTLP_*_HEADERS` (often a user's own backend keys) never go to it.
 */
export function loadConfig(options: ResolvedOptions, names: EnvNames, warn: Warn): TelemetryConfig | undefined {
  const env = options.env;
  const read = createReader(env, warn);

  const timeoutMs =
    read(names.timeoutMs, timeoutCheck, `is not a whole number of milliseconds between 1 and ${MAX_TIMEOUT_MS}; using ${DEFAULT_TIMEOUT_MS}`) ??
    read(STANDARD_ENV.otlpMetricsTimeout, timeoutCheck, `is not a valid timeout; using ${DEFAULT_TIMEOUT_MS}`) ??
    read(STANDARD_ENV.otlpTimeout, timeoutCheck, `is not a valid timeout; using ${DEFAULT_TIMEOUT_MS}`) ??
    DEFAULT_TIMEOUT_MS;

  const channelFromEnv = read(names.channel, coarseTokenCheck, 'is not a short token of letters, digits and "._+-"; leaving the channel out');
  const channel = options.channel ?? channelFromEnv;

  const delivery = read(names.delivery, oneOfCheck(['inline', 'background']), 'must be "background" or "inline"; using the default') ?? defaultDelivery(env);

  const debugValue = readEnv(env, names.debug);
  const debug = debugValue !== undefined && readSwitch(debugValue) === 'on';
  if (debugValue !== undefined && readSwitch(debugValue) === 'unrecognised') {
    // Never the value itself: a mistyped variable may hold anything, a secret included.
    warn(names.debug, 'is not one of 1, true, yes, on, 0, false, no, off; debug output stays off');
  }

  const destination = resolveDestination(options, names, read, warn);
  if (destination === undefined) return undefined;
  return { destination, timeoutMs, debug, delivery, channel };
}

/**
 * Background unless running in CI: CI runners often kill a job's stray
 * processes when it ends, and their jobs are not interactive, so waiting for
 * the send at exit costs nobody a prompt (docs/delivery.md).
 */
function defaultDelivery(env: Env): Delivery {
  const ci = readEnv(env, STANDARD_ENV.ci)?.toLowerCase();
  return ci === undefined || ci === 'false' || ci === '0' ? 'background' : 'inline';
}

type Reader = <T>(name: string, check: ValueCheck<T>, problem: string) => T | undefined;

/** Reads one variable: unset → undefined; valid → its value; invalid → one warning, then undefined. */
function createReader(env: Env, warn: Warn): Reader {
  let z: ReturnType<typeof loadZod> | undefined;
  return (name, check, problem) => {
    const value = readEnv(env, name);
    if (value === undefined) return undefined;
    const canonical = check.canonical(value);
    if (canonical !== undefined) return canonical;
    z ??= loadZod();
    const result = check.schema(z).safeParse(value);
    if (result.success) return result.data;
    warn(name, problem);
    return undefined;
  };
}

function resolveDestination(options: ResolvedOptions, names: EnvNames, read: Reader, warn: Warn): Destination | undefined {
  const env = options.env;
  const file = readEnv(env, names.file);
  if (file !== undefined) return { kind: 'file', path: expandHome(file) };
  if (options.meterProvider !== undefined) return { kind: 'host' };

  const badUrl = 'is not an http:// or https:// URL; ignoring it';
  const compressionCheck = oneOfCheck(['gzip', 'none']);
  const compression =
    read(STANDARD_ENV.otlpMetricsCompression, compressionCheck, 'must be "gzip" or "none"; using none') ??
    read(STANDARD_ENV.otlpCompression, compressionCheck, 'must be "gzip" or "none"; using none') ??
    'none';
  const envToken = read(names.token, tokenCheck, 'must be printable characters without spaces; sending no token');

  const ownUrl = read(names.url, httpUrlCheck, badUrl);
  const otelMetricsUrl = read(STANDARD_ENV.otlpMetricsEndpoint, httpUrlCheck, badUrl);
  const otelUrl = read(STANDARD_ENV.otlpEndpoint, httpUrlCheck, badUrl);
  let url: string;
  let userHeaders: Record<string, string> = {};
  let token = envToken;
  if (ownUrl !== undefined || otelMetricsUrl !== undefined || otelUrl !== undefined) {
    url = ownUrl !== undefined ? withMetricsPath(ownUrl) : (otelMetricsUrl ?? appendMetricsPath(otelUrl as string));
    userHeaders = readOtlpHeaders(env, warn);
  } else if (options.defaultUrl !== undefined) {
    url = withMetricsPath(options.defaultUrl);
    token = envToken ?? options.defaultToken;
  } else {
    return undefined;
  }
  const headers = token === undefined ? userHeaders : { ...userHeaders, Authorization: `Bearer ${token}` };
  return { kind: 'otlp', url, headers, compression };
}

function readOtlpHeaders(env: Env, warn: Warn): Record<string, string> {
  for (const name of [STANDARD_ENV.otlpMetricsHeaders, STANDARD_ENV.otlpHeaders]) {
    const text = readEnv(env, name);
    if (text === undefined) continue;
    const headers = parseOtlpHeaders(text);
    if (headers !== undefined) return headers;
    warn(name, 'is not a list of key=value pairs whose values an HTTP header can carry; sending no extra headers');
    return {};
  }
  return {};
}
