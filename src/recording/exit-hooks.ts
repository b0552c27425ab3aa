/**
 * Every way a CLI process ends, in one place. Each enabled telemetry
 * registers a participant; the listeners are installed once per process (a
 * registry on `globalThis`, so even two copies of cmdtel share one set and
 * can recognise each other's listeners as not the host's).
 *
 * - `exit` (a normal end, `process.exit(n)`, or after an uncaught exception):
 *   open invocations end with that exit code; pending events are handed off.
 * - an uncaught exception that nobody handles: recorded as error class
 *   `uncaught`; observed through `uncaughtExceptionMonitor`, which changes
 *   nothing of Node's own behaviour, output or exit code.
 * - SIGINT / SIGTERM: open invocations end as cancelled (130 / 143) and
 *   pending events are handed off. When no one else listens, the signal is
 *   raised again with our listener gone, so the process dies by it as it
 *   would have without cmdtel; when the host listens, the host decides.
 */
export interface ExitParticipant {
  onExit(code: number, uncaught: boolean): void;
  onSignal(signal: HandledSignal): void;
}

export type HandledSignal = 'SIGINT' | 'SIGTERM';

const SIGNALS: readonly HandledSignal[] = ['SIGINT', 'SIGTERM'];
const REGISTRY = Symbol.for('cmdtel.exit-hooks');

interface Registry {
  readonly participants: Set<ExitParticipant>;
  uncaught: boolean;
}

export function registerExitParticipant(participant: ExitParticipant): void {
  const global = globalThis as { [REGISTRY]?: Registry };
  let registry = global[REGISTRY];
  if (registry === undefined) {
    registry = { participants: new Set(), uncaught: false };
    global[REGISTRY] = registry;
    install(registry);
  }
  registry.participants.add(participant);
}

function install(registry: Registry): void {
  process.on('exit', (code) => {
    for (const participant of registry.participants) safely(() => participant.onExit(code, registry.uncaught));
  });
  process.on('uncaughtExceptionMonitor', () => {
    // With an 'uncaughtException' listener the host lives on (or exits its own way, seen by 'exit').
    if (process.listenerCount('uncaughtException') === 0) registry.uncaught = true;
  });
  for (const signal of SIGNALS) {
    const listener = (): void => {
      for (const participant of registry.participants) safely(() => participant.onSignal(signal));
      // Out of the way at once: other listeners that count listeners (signal-exit, used by many
      // CLI libraries, re-raises only when it is alone) must see what they would see without us.
      process.removeListener(signal, listener);
      if (process.listenerCount(signal) === 0) {
        process.kill(process.pid, signal); // no one else listens: die by the signal, as without cmdtel
        return;
      }
      // The host handles it and may live on: listen again for the next one.
      setImmediate(() => process.prependListener(signal, listener)).unref();
    };
    // First in line, so the event is durable before any host listener exits the process.
    process.prependListener(signal, listener);
  }
}

function safely(action: () => void): void {
  try {
    action();
  } catch {
    // Telemetry never changes how a process ends.
  }
}
