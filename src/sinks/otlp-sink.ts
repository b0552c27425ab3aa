import type { InvocationEvent } from '../invocation-event.js';
import type { OtlpTarget } from '../otlp/pipeline.js';
import { loadPipeline } from '../otlp/load-pipeline.js';
import type { SpoolWriter } from '../spool/spool-writer.js';
import type { Sink } from './sink.js';

/**
 * Inline delivery: sends at `flush()` (the CLI's `shutdown()`), within the
 * deadline: events wait in memory, and the OpenTelemetry SDK is only loaded
 * when there is something to send. An exit that never awaits `flush()` hands
 * the events (those not yet sent, and those whose send it cut short) to the
 * spool, the only thing that can still deliver them. What `shutdown()` tried
 * and gave up on (timeout, refusal, 5xx) is dropped, as inline delivery promises.
 */
export function createOtlpSink(target: OtlpTarget, onError: (error: unknown) => void, spool?: () => SpoolWriter | undefined): Sink {
  let pending: InvocationEvent[] = [];
  let inFlight: InvocationEvent[] = [];
  let inFlightDeadline = 0;
  return {
    write(event) {
      pending.push(event);
    },
    hasPending: () => pending.length > 0,
    async flush(deadline) {
      if (pending.length === 0) return true;
      const events = pending;
      pending = [];
      inFlight = events;
      inFlightDeadline = deadline;
      try {
        const pipeline = await loadPipeline();
        const result = await pipeline.exportEvents(target, events, deadline);
        if (!result.delivered) onError(result.error);
        return result.delivered;
      } catch (error) {
        onError(error);
        return false;
      } finally {
        inFlight = [];
      }
    },
    handOff() {
      // A send still within its deadline was cut short by the exit; one past it was given up by
      // shutdown() on purpose, and inline delivery starts no background process for it.
      const events = Date.now() < inFlightDeadline ? [...inFlight, ...pending] : pending;
      pending = [];
      inFlight = [];
      if (events.length === 0) return;
      const writer = spool?.();
      const spooled = writer === undefined ? 0 : events.filter((event) => writer.append(event)).length;
      if (spooled > 0) writer?.ensureSender();
      if (spooled < events.length) onError(new Error(`${events.length - spooled} event(s) dropped: the process exited before shutdown() and the spool is unavailable`));
    },
  };
}
