/**
 * The part of an OpenTelemetry MeterProvider cmdtel calls, written as its own
 * structural types instead of importing `@opentelemetry/api`: the API is an
 * optional peer dependency, and a shipped `.d.ts` that imports it fails to
 * compile (TS2307) for every consumer who has not installed it. Both the API's
 * `MeterProvider` and the SDK's (2.x and 3.x) are assignable to these.
 */

/** Datapoint attributes as cmdtel records them: short strings and integers. */
export type MetricAttributes = Record<string, string | number>;

/** What cmdtel passes when it creates an instrument; a subset of the API's `MetricOptions`. */
export interface InstrumentOptionsLike {
  description?: string;
  unit?: string;
  /** The API's `ValueType` enum (`0` = INT), as its number. */
  valueType?: number;
  advice?: { explicitBucketBoundaries?: number[] };
}

export interface CounterLike {
  add(value: number, attributes?: MetricAttributes): void;
}

export interface HistogramLike {
  record(value: number, attributes?: MetricAttributes): void;
}

export interface MeterLike {
  createCounter(name: string, options?: InstrumentOptionsLike): CounterLike;
  createHistogram(name: string, options?: InstrumentOptionsLike): HistogramLike;
}

/** An OpenTelemetry MeterProvider: `metrics.getMeterProvider()`, or a `MeterProvider` from `@opentelemetry/sdk-metrics`. */
export interface MeterProviderLike {
  getMeter(name: string, version?: string): MeterLike;
}
