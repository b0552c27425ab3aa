import type { Invocation } from '../vocabulary/telemetry.js';

/** What `start()` returns when telemetry is off: same shape, records nothing. */
export function createInertInvocation(traceId: () => string): Invocation {
  let ended = false;
  let id: string | undefined;
  return {
    get traceId() {
      id ??= traceId();
      return id;
    },
    get ended() {
      return ended;
    },
    end() {
      ended = true;
    },
  };
}
