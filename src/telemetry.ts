import type { Destination, TelemetryConfig } from './config.js';
import { loadConfig } from './config.js';
import { resolveConfigDir } from './config-dir.js';
import { createDebugLog, describeDestination } from './debug-log.js';
import { decide, type Decision, type DecisionReason } from './decision.js';
import { envNames, readEnv, STANDARD_ENV, type EnvNames } from './env-names.js';
import { createInertInvocation, createInvocation, type Invocation } from './invocation.js';
import type { InvocationEvent, StartInput } from './invocation-event.js';
import { showNoticeOnce } from './notice.js';
import { resolveOptions, type ResolvedOptions, type TelemetryOptions } from './options.js';
import { osType } from './os-type.js';
import { createFileSink } from './sinks/file-sink.js';
import { createHostSink } from './sinks/host-sink.js';
import { createOtlpSink } from './sinks/otlp-sink.js';
import type { Sink } from './sinks/sink.js';
import { randomTraceId, traceIdFromTraceparent } from './trace-id.js';
import { readUserChoice } from './user-choice.js';
import { createWarn, writeStderr } from './warnings.js';

/** Whether telemetry is on, why, and where it goes. */
export interface TelemetryStatus {
  readonly enabled: boolean;
  readonly reason: DecisionReason;
  /** The variable or setting that decided. */
  readonly source: string;
  /** Where events go, credentials redacted; undefined when off. */
  readonly destination: string | undefined;
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

/**
 * Creates the telemetry for one CLI process. Throws {@link CmdtelOptionsError}
 * only for mistakes in `options`; the environment is never a reason to throw.
 */
export function createTelemetry(options: TelemetryOptions): Telemetry {
  const resolved = resolveOptions(options);
  const names = envNames(resolved.envPrefix);
  const warn = createWarn();
  const configDir = resolveConfigDir(resolved, names);
  const decision = decide({
    env: resolved.env,
    names,
    hasDefaultUrl: resolved.defaultUrl !== undefined,
    hasMeterProvider: resolved.meterProvider !== undefined,
    userChoice: () => readUserChoice(configDir),
    warn,
  });
  if (!decision.enabled) return createDisabledTelemetry(decision, names, configDir);

  const config = loadConfig(resolved, names, warn);
  if (config === undefined) return createDisabledTelemetry({ enabled: false, reason: 'no-destination', source: 'no usable destination' }, names, configDir);
  if (decision.reason === 'distribution-default') showNoticeOnce(configDir, resolved.name, names, writeStderr);
  return createEnabledTelemetry(resolved, decision, config, names, configDir);
}

function createDisabledTelemetry(decision: Decision, names: EnvNames, configDir: string): Telemetry {
  const status: TelemetryStatus = { ...decision, destination: undefined, env: names, configDir };
  return {
    enabled: false,
    status,
    start: () => createInertInvocation(randomTraceId),
    shutdown: async () => {},
  };
}

function createEnabledTelemetry(options: ResolvedOptions, decision: Decision, config: TelemetryConfig, names: EnvNames, configDir: string): Telemetry {
  const debug = config.debug ? createDebugLog(writeStderr) : undefined;
  debug?.destination(config.destination);
  const onError = (error: unknown) => debug?.problem(error);
  const sink = createSink(options, config.destination, onError);
  const context = {
    cliVersion: options.version,
    channel: config.channel,
    os: osType(),
  };
  const inheritedTraceId = traceIdFromTraceparent(readEnv(options.env, STANDARD_ENV.traceparent));
  const record = (event: InvocationEvent) => {
    debug?.event(event);
    sink.write(event);
  };
  return {
    enabled: true,
    status: { ...decision, destination: describeDestination(config.destination), env: names, configDir },
    start(input) {
      return createInvocation({ ...context, traceId: inheritedTraceId ?? randomTraceId() }, input, record);
    },
    shutdown() {
      return flushWithin(sink, config.timeoutMs);
    },
  };
}

function createSink(options: ResolvedOptions, destination: Destination, onError: (error: unknown) => void): Sink {
  switch (destination.kind) {
    case 'file':
      return createFileSink(destination.path, onError);
    case 'host':
      return createHostSink(options.meterProvider!, options.version, options.traceIdAttribute, onError);
    case 'otlp':
      return createOtlpSink(
        {
          url: destination.url,
          headers: destination.headers,
          compression: destination.compression,
          serviceName: options.name,
          serviceVersion: options.version,
          includeTraceId: options.traceIdAttribute,
        },
        onError,
      );
  }
}

/** Whatever the sink does, the caller waits at most `timeoutMs`; the timer never holds the process open. */
function flushWithin(sink: Sink, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    sink.flush(deadline).then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}
