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
 * - SIGINT / SIGTERM: when no one else listens, open invocations end as
 *   cancelled (130 / 143), pending events are handed off, and the signal is
 *   raised again with our listener gone, so the process dies by it as it
 *   would have without cmdtel. When the host listens, the host decides.
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
      if (process.listenerCount(signal) > 1) return; // the host handles it
      for (const participant of registry.participants) safely(() => participant.onSignal(signal));
      process.removeListener(signal, listener);
      process.kill(process.pid, signal);
    };
    process.on(signal, listener);
  }
}

function safely(action: () => void): void {
  try {
    action();
  } catch {
    // Telemetry never changes how a process ends.
  }
}
