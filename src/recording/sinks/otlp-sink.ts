import type { InvocationEvent } from '../../vocabulary/invocation-event.js';
import type { ExportResult, OtlpTarget } from '../../delivery/otlp/pipeline.js';
import { loadPipeline } from '../../delivery/otlp/load-pipeline.js';
import type { SpoolWriter } from '../../delivery/spool/spool-writer.js';
import type { Sink } from './sink.js';

/**
 * Inline delivery: sends at `flush()` (the CLI's `shutdown()`), within the
 * deadline: events wait in memory, and the OpenTelemetry SDK is only loaded
 * when there is something to send. One attempt, never retried here (the
 * sender's loop is the only retry policy). What that attempt does not
 * deliver — 503, 429, a refused port, a timeout — is not dropped: it is kept
 * in the spool and a sender started, so a later sender (this one, or the
 * next command's) delivers it. A batch the collector refuses for good (400)
 * is kept as drop markers instead, counted once reported. When the spool
 * cannot take them either, the debug output says they are lost.
 *
 * An exit that never awaits `flush()` hands the events not yet sent to the
 * spool. An event whose send had begun is never handed over at exit: its
 * request may already have reached the collector, and that send completes
 * or ends with the process.
 */
export function createOtlpSink(target: OtlpTarget, onError: (error: unknown) => void, spool?: () => SpoolWriter | undefined): Sink {
  let pending: InvocationEvent[] = [];
  /** Keeps events the one attempt did not deliver; says where they went. */
  const keep = (events: InvocationEvent[], result: Pick<ExportResult, 'verdict' | 'error'>) => {
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    const writer = spool?.();
    const refused = result.verdict === 'rejected';
    const kept = writer === undefined ? 0 : events.filter((event) => (refused ? writer.appendDrop('rejected') : writer.append(event))).length;
    if (kept > 0) writer?.ensureSender();
    if (kept > 0 && refused) {
      onError(new Error(`${kept} event(s) refused by the collector (${reason}); dropped, and counted in the spool for a background sender to report`));
    } else if (kept > 0) {
      onError(
        new Error(
          `${kept} event(s) not delivered (${reason}); kept in the spool for a background sender — lost if this home is discarded before one delivers them (a fresh CI container)`,
        ),
      );
    }
    if (kept < events.length) onError(new Error(`${events.length - kept} event(s) lost: not delivered (${reason}) and the spool is unavailable`));
  };
  return {
    write(event) {
      pending.push(event);
    },
    hasPending: () => pending.length > 0,
    async flush(deadline) {
      if (pending.length === 0) return true;
      const events = pending;
      pending = [];
      let result: Pick<ExportResult, 'delivered' | 'verdict' | 'error'>;
      try {
        const pipeline = await loadPipeline();
        // Give up a little before the caller's deadline, so what is not delivered is spooled in time.
        result = await pipeline.exportEvents(target, events, deadline - spoolMargin(deadline));
      } catch (error) {
        result = { delivered: false, verdict: 'retry', error };
      }
      if (!result.delivered) keep(events, result);
      return result.delivered;
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
      if (spooled < events.length)
        onError(new Error(`${events.length - spooled} event(s) dropped: the process exited before shutdown() and the spool is unavailable`));
    },
  };
}

/** Time kept back from the send for spooling what it did not deliver: 100 ms, less for very short timeouts. */
function spoolMargin(deadline: number): number {
  return Math.min(100, Math.max(0, (deadline - Date.now()) / 5));
}
