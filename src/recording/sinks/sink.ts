import type { InvocationEvent } from '../../vocabulary/invocation-event.js';

/** Where finished invocations go. `write` is synchronous so it works on every exit path. */
export interface Sink {
  /** Takes one event; never throws. */
  write(event: InvocationEvent): void;
  /** Delivers what is pending by `deadline` (epoch ms); never rejects. Resolves true when everything was delivered. */
  flush(deadline: number): Promise<boolean>;
  /** Whether `flush()` has anything to deliver; when not, `shutdown()` sets no timer at all. */
  hasPending(): boolean;
  /**
   * The process is exiting without having awaited `flush()` (process.exit, an
   * uncaught exception, a signal): make what is pending durable, synchronously,
   * and start its delivery. Never throws. Absent when writes are already final.
   */
  handOff?(): void;
}
