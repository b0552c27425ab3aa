import { buildEvent, type EventContext, type InvocationEvent, type StartInput } from '../vocabulary/invocation-event.js';
import type { Invocation } from '../vocabulary/telemetry.js';

/** Starts timing one command; `end()` builds the event once and hands it to `onEnd`. */
export function createInvocation(context: EventContext, start: StartInput, onEnd: (event: InvocationEvent) => void): Invocation {
  // process.hrtime, not performance.now(): the first touch of the `performance` global loads perf_hooks (≈ 1 ms).
  const startedAt = process.hrtime.bigint();
  let ended = false;
  return {
    traceId: context.traceId,
    get ended() {
      return ended;
    },
    end(input = {}) {
      if (ended) return;
      ended = true;
      try {
        onEnd(buildEvent(context, start, input, Number(process.hrtime.bigint() - startedAt) / 1e6, new Date()));
      } catch {
        // Recording must never break the command.
      }
    },
  };
}
