import type { InvocationEvent } from '../../vocabulary/invocation-event.js';
import type { OtlpTarget } from '../../delivery/otlp/pipeline.js';
import { loadPipeline } from '../../delivery/otlp/load-pipeline.js';
import type { SpoolWriter } from '../../delivery/spool/spool-writer.js';
import type { Sink } from './sink.js';

/**
 * Inline delivery: sends at `flush()` (the CLI's `shutdown()`), within the
 * deadline: events wait in memory, and the OpenTelemetry SDK is only loaded
 * when there is something to send. An exit that never awaits `flush()` hands
 * the events not yet sent to the spool, the only thing that can still deliver
 * them. An event whose send had begun is never handed over: its request may
 * already have reached the collector, and spooling it too counted it twice.
 * What `shutdown()` tried and gave up on (timeout, refusal, 5xx) is dropped,
 * as inline delivery promises.
 */
export function createOtlpSink(target: OtlpTarget, onError: (error: unknown) => void, spool?: () => SpoolWriter | undefined): Sink {
  let pending: InvocationEvent[] = [];
  return {
    write(event) {
      pending.push(event);
    },
    hasPending: () => pending.length > 0,
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
    handOff() {
      // Only events whose send never began: an exit during a send leaves that send as it is (sent
      // or lost), since handing it over as well is what made the collector count it twice.
      const events = pending;
      pending = [];
      if (events.length === 0) return;
      const writer = spool?.();
      const spooled = writer === undefined ? 0 : events.filter((event) => writer.append(event)).length;
      if (spooled > 0) writer?.ensureSender();
      if (spooled < events.length) onError(new Error(`${events.length - spooled} event(s) dropped: the process exited before shutdown() and the spool is unavailable`));
    },
  };
}
