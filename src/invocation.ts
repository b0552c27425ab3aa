import { readEndInput } from './read-input.js';
import { buildEvent, type EndInput, type EventContext, type InvocationEvent, type StartInput } from './invocation-event.js';

/** One running command. `end()` records it; calling it again does nothing. */
export interface Invocation {
  /** This invocation's id (32 hex), also usable as a request header to the CLI's own server. */
  readonly traceId: string;
  /** Whether `end()` has been called. */
  readonly ended: boolean;
  /** Records the invocation. Never throws, whatever it is given. */
  end(input?: EndInput): void;
}

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
        onEnd(buildEvent(context, start, readEndInput(input), Number(process.hrtime.bigint() - startedAt) / 1e6, new Date()));
      } catch {
        // Recording must never break the command.
      }
    },
  };
}

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
