import type { InvocationEvent } from '../invocation-event.js';

/** Where finished invocations go. `write` is synchronous so it works on every exit path. */
export interface Sink {
  /** Takes one event; never throws. */
  write(event: InvocationEvent): void;
  /** Delivers what is pending by `deadline` (epoch ms); never rejects. Resolves true when everything was delivered. */
  flush(deadline: number): Promise<boolean>;
}
