import type { MeterProviderLike } from '../../vocabulary/meter-provider-like.js';
import { createInstruments, METER_NAME } from '../../vocabulary/instruments.js';
import type { Sink } from './sink.js';

/**
 * Records on the host CLI's own MeterProvider. The host owns export and
 * shutdown: flushing here would export the host's other metrics early, and
 * shutting its provider down would break the host.
 */
export function createHostSink(meterProvider: MeterProviderLike, version: string, includeTraceId: boolean, onError: (error: unknown) => void): Sink {
  const instruments = createInstruments(meterProvider.getMeter(METER_NAME, version), includeTraceId);
  return {
    write(event) {
      try {
        instruments.record(event);
      } catch (error) {
        onError(error);
      }
    },
    async flush() {
      return true;
    },
    hasPending: () => false,
  };
}
