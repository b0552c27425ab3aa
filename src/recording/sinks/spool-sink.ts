import type { SpoolWriter } from '../../delivery/spool/spool-writer.js';
import type { Sink } from './sink.js';

/**
 * Background delivery: each event is appended to the spool at once (a few
 * microseconds), and a detached sender delivers it; `flush()` has nothing to
 * wait for. When the spool cannot be written (read-only home, a path through
 * a file), the event goes to `fallback` — inline delivery at `shutdown()` —
 * so the command neither fails nor loses it.
 */
export function createSpoolSink(spool: SpoolWriter, fallback: Sink): Sink {
  return {
    write(event) {
      if (spool.append(event)) spool.ensureSender();
      else fallback.write(event);
    },
    flush(deadline) {
      return fallback.flush(deadline);
    },
    hasPending: () => fallback.hasPending(),
    handOff() {
      fallback.handOff?.();
    },
  };
}
