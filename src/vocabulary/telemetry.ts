// The public shapes every stage shares: what createTelemetry returns and what start() hands out.
import type { DecisionReason } from './decision-reason.js';
import type { EnvNames } from './env-names.js';
import type { EndInput, StartInput } from './invocation-event.js';

/** Whether telemetry is on, why, and where it goes. */
export interface TelemetryStatus {
  readonly enabled: boolean;
  readonly reason: DecisionReason;
  /** The variable or setting that decided. */
  readonly source: string;
  /** Where events go, credentials redacted; undefined when off. */
  readonly destination: string | undefined;
  /**
   * Why the host MeterProvider the options asked for (`meterProvider`,
   * `useGlobalMeterProvider`) cannot be used, e.g. undefined or the API's no-op
   * provider; undefined when none was asked for or it is in use.
   */
  readonly meterProviderProblem: string | undefined;
  /** The environment variable names for this CLI, for help texts. */
  readonly env: EnvNames;
  readonly configDir: string;
}

export interface Telemetry {
  /** Decided once, at creation. */
  readonly enabled: boolean;
  readonly status: TelemetryStatus;
  /** Starts timing one command. Cheap and inert when telemetry is off. */
  start(input: StartInput): Invocation;
  /** Delivers what is pending; resolves within the configured timeout; never rejects. */
  shutdown(): Promise<void>;
}

/** One running command. `end()` records it; calling it again does nothing. */
export interface Invocation {
  /** This invocation's id (32 hex), also usable as a request header to the CLI's own server. */
  readonly traceId: string;
  /** Whether `end()` has been called. */
  readonly ended: boolean;
  /** Records the invocation. Never throws, whatever it is given. */
  end(input?: EndInput): void;
}
