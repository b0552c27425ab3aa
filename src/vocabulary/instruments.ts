import type { CounterLike, HistogramLike, MeterLike } from './meter-provider-like.js';
import { toAttributes } from './attributes.js';
import type { InvocationEvent } from './invocation-event.js';

export const INVOCATIONS_METRIC = 'cli.command.invocations';
export const DURATION_METRIC = 'cli.command.duration';
export const METER_NAME = 'cmdtel';
/** `ValueType.INT` from @opentelemetry/api, written as its value so no copy of the API is loaded for it. */
const INT_VALUE_TYPE = 0;

/**
 * Seconds, from a few milliseconds (a `--version`) to minutes (an upload);
 * 2 s and 3 s sit on bucket edges so a "p99 above 3 s" alert is exact rather
 * than interpolated.
 */
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 3, 5, 10, 30, 60, 120, 300];

/** cmdtel's two instruments on any Meter: its own pipeline's or a host CLI's. */
export interface Instruments {
  record(event: InvocationEvent): void;
}

export function createInstruments(meter: MeterLike, includeTraceId: boolean): Instruments {
  const invocations: CounterLike = meter.createCounter(INVOCATIONS_METRIC, {
    description: 'Command-line invocations, one per command run.',
    unit: '{invocation}',
    valueType: INT_VALUE_TYPE,
  });
  const duration: HistogramLike = meter.createHistogram(DURATION_METRIC, {
    description: 'Wall time of command-line invocations.',
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS_SECONDS },
  });
  return {
    record(event) {
      const attributes = toAttributes(event, includeTraceId);
      invocations.add(1, attributes);
      duration.record(event.durationMs / 1000, attributes);
    },
  };
}
