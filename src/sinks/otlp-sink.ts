import type { InvocationEvent } from '../invocation-event.js';
import type { OtlpTarget } from '../otlp/pipeline.js';
import { loadPipeline } from '../otlp/load-pipeline.js';
import type { Sink } from './sink.js';

/**
 * Sends at `flush()` (the CLI's `shutdown()`), within the deadline: events
 * wait in memory, and the OpenTelemetry SDK is only loaded when there is
 * something to send.
 */
export function createOtlpSink(target: OtlpTarget, onError: (error: unknown) => void): Sink {
  let pending: InvocationEvent[] = [];
  return {
    write(event) {
      pending.push(event);
    },
    async flush(deadline) {
      if (pending.length === 0) return true;
      const events = pending;
      pending = [];
      try {
        const pipeline = await loadPipeline();
        const result = await pipeline.exportEvents(target, events, deadline);
        if (!result.delivered) onError(result.error);
        return result.delivered;
      } catch (error) {
        onError(error);
        return false;
      }
    },
  };
}
