// Hand-made OTLP/HTTP JSON requests shaped like the ones a cmdtel CLI process sends: one
// resource, scope `cmdtel`, a DELTA monotonic int counter `cli.command.invocations` and a DELTA
// histogram `cli.command.duration`, one data point per attribute set; optionally the spool's drop
// counter `cli.telemetry.dropped` (droppedMetric).
import { fetchText } from './http.js';

/** The library's histogram bounds (seconds). */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 3, 5, 10, 30, 60, 120, 300];

/** OTLP's AGGREGATION_TEMPORALITY_DELTA. */
export const DELTA = 1;
/** OTLP's AGGREGATION_TEMPORALITY_CUMULATIVE. */
export const CUMULATIVE = 2;

/**
 * An OTLP/JSON attribute list from a plain object: integers become intValue, other numbers
 * doubleValue, booleans boolValue, everything else stringValue. `undefined` values are skipped.
 * @param {Record<string, string | number | boolean | undefined>} attributes
 */
export function otlpAttributes(attributes) {
  return Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      if (typeof value === 'number') {
        return { key, value: Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value } };
      }
      if (typeof value === 'boolean') return { key, value: { boolValue: value } };
      return { key, value: { stringValue: String(value) } };
    });
}

/** Nanoseconds since the epoch, as the decimal string OTLP/JSON uses, from milliseconds (fractions allowed). */
export function nanos(ms) {
  return (BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.round((ms % 1) * 1e6))).toString();
}

/**
 * One recorded invocation (or several identical ones) for {@link cliRequest}.
 * @typedef {object} Invocation
 * @property {Record<string, string | number | undefined>} attributes  data point attributes (cli.command, cli.outcome, ...)
 * @property {number} durationSeconds  what goes into the histogram (per invocation)
 * @property {number} [count]          how many invocations this point stands for (default 1)
 */

/** Index of the bucket a value falls into (upper bounds inclusive, as in OTLP). */
export function bucketIndex(value, bounds = DURATION_BUCKETS) {
  const index = bounds.findIndex((bound) => value <= bound);
  return index === -1 ? bounds.length : index;
}

/**
 * An OTLP/JSON ExportMetricsServiceRequest as one CLI process would send it.
 * @param {{
 *   serviceName?: string,
 *   resourceAttributes?: Record<string, string | number>,  extra resource attributes (e.g. the SDK's)
 *   scopeVersion?: string,
 *   startMs: number,  the process's start (start_time_unix_nano of every point)
 *   endMs: number,    the collection time (time_unix_nano)
 *   invocations: Invocation[],
 *   temporality?: number,
 *   counterAsDouble?: boolean,  send the counter's values as asDouble (as some SDK setups do)
 *   extraMetrics?: object[],  raw OTLP/JSON metrics appended to the scope
 * }} options
 */
export function cliRequest({
  serviceName = 'notes',
  resourceAttributes = {},
  scopeVersion = '1.4.2',
  startMs,
  endMs,
  invocations,
  temporality = DELTA,
  counterAsDouble = false,
  extraMetrics = [],
}) {
  const start = nanos(startMs);
  const end = nanos(endMs);
  const sumPoints = invocations.map(({ attributes, count = 1 }) => ({
    attributes: otlpAttributes(attributes),
    startTimeUnixNano: start,
    timeUnixNano: end,
    ...(counterAsDouble ? { asDouble: count } : { asInt: String(count) }),
  }));
  const histogramPoints = invocations.map(({ attributes, durationSeconds, count = 1 }) => {
    const bucketCounts = DURATION_BUCKETS.map(() => 0).concat([0]);
    bucketCounts[bucketIndex(durationSeconds)] = count;
    return {
      attributes: otlpAttributes(attributes),
      startTimeUnixNano: start,
      timeUnixNano: end,
      count: String(count),
      sum: durationSeconds * count,
      min: durationSeconds,
      max: durationSeconds,
      bucketCounts: bucketCounts.map(String),
      explicitBounds: DURATION_BUCKETS,
    };
  });
  return {
    resourceMetrics: [
      {
        resource: {
          attributes: otlpAttributes({
            'service.name': serviceName,
            'service.version': scopeVersion,
            'telemetry.sdk.language': 'nodejs',
            'telemetry.sdk.name': 'opentelemetry',
            'telemetry.sdk.version': '2.12.0',
            ...resourceAttributes,
          }),
        },
        scopeMetrics: [
          {
            scope: { name: 'cmdtel', version: scopeVersion },
            metrics: [
              {
                name: 'cli.command.invocations',
                description: 'Command-line invocations, one per command run.',
                unit: '{invocation}',
                sum: { aggregationTemporality: temporality, isMonotonic: true, dataPoints: sumPoints },
              },
              {
                name: 'cli.command.duration',
                description: 'Wall time of command-line invocations.',
                unit: 's',
                histogram: { aggregationTemporality: temporality, dataPoints: histogramPoints },
              },
              ...extraMetrics,
            ],
          },
        ],
      },
    ],
  };
}

/**
 * The library's spool drop counter as one raw OTLP/JSON metric (for `cliRequest`'s `extraMetrics`):
 * `cli.telemetry.dropped`, a DELTA monotonic sum, unit `{invocation}`, one point per entry.
 * @param {{
 *   startMs: number,
 *   endMs: number,
 *   points: Array<{ reason?: string, value: number, asDouble?: boolean, attributes?: Record<string, string | number> }>,
 *     reason: the `cli.telemetry.drop.reason` value (omitted when undefined); attributes: extra ones
 * }} options
 */
export function droppedMetric({ startMs, endMs, points }) {
  return {
    name: 'cli.telemetry.dropped',
    description: 'Invocations recorded but dropped before delivery, by reason.',
    unit: '{invocation}',
    sum: {
      aggregationTemporality: DELTA,
      isMonotonic: true,
      dataPoints: points.map(({ reason, value, asDouble = false, attributes = {} }) => ({
        attributes: otlpAttributes({ ...attributes, 'cli.telemetry.drop.reason': reason }),
        startTimeUnixNano: nanos(startMs),
        timeUnixNano: nanos(endMs),
        ...(asDouble ? { asDouble: value } : { asInt: String(value) }),
      })),
    },
  };
}

/**
 * POSTs an OTLP/JSON body to `${baseUrl}/v1/metrics`.
 * @param {string} baseUrl  the collector's OTLP/HTTP base URL
 * @param {object | string} body
 * @param {{ token?: string, authorization?: string, timeoutMs?: number }} [options]
 *   token: sent as `Authorization: Bearer <token>`; authorization: the raw header value instead.
 * @returns {Promise<{ status: number, body: string }>}
 */
export async function postMetrics(baseUrl, body, { token, authorization, timeoutMs = 10_000 } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  else if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await fetchText(`${baseUrl}/v1/metrics`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    timeoutMs,
  });
  return { status: response.status, body: response.text };
}
