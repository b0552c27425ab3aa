import type { Destination, TelemetryConfig } from './config.js';
import { loadConfig } from './config.js';
import { resolveConfigDir } from './config-dir.js';
import { createDebugLog, describeDestination } from './debug-log.js';
import { decide, type Decision, type DecisionReason } from './decision.js';
import { envNames, readEnv, STANDARD_ENV, type EnvNames } from './env-names.js';
import { registerExitParticipant } from './exit-hooks.js';
import { createInertInvocation, createInvocation, type Invocation } from './invocation.js';
import type { InvocationEvent, StartInput } from './invocation-event.js';
import { showNoticeOnce } from './notice.js';
import { resolveOptions, type ResolvedOptions, type TelemetryOptions } from './options.js';
import { osType } from './os-type.js';
import { createFileSink } from './sinks/file-sink.js';
import { createHostSink } from './sinks/host-sink.js';
import { createOtlpSink } from './sinks/otlp-sink.js';
import type { Sink } from './sinks/sink.js';
import { createSpoolSink } from './sinks/spool-sink.js';
import { resolveSpoolRoot } from './spool/layout.js';
import { createSpoolWriter, type SpoolWriter } from './spool/spool-writer.js';
import { parseTuning, TUNING_ENV } from './spool/tuning.js';
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
  const sink = createSink(options, config, names, configDir, onError);
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
  // Invocations started and not yet ended: whatever way the process ends, they are recorded (exit-hooks.ts).
  const open = new Set<Invocation>();
  registerExitParticipant({
    onExit(code, uncaught) {
      for (const invocation of [...open]) invocation.end({ exitCode: code, errorClass: uncaught ? 'uncaught' : undefined });
      sink.handOff?.();
    },
    onSignal(signal) {
      for (const invocation of [...open]) invocation.end({ signal });
      sink.handOff?.();
    },
  });
  return {
    enabled: true,
    status: { ...decision, destination: describeDestination(config.destination), env: names, configDir },
    start(input) {
      const invocation = createInvocation({ ...context, traceId: inheritedTraceId ?? randomTraceId() }, input, (event) => {
        open.delete(invocation);
        record(event);
      });
      open.add(invocation);
      return invocation;
    },
    shutdown() {
      return flushWithin(sink, config.timeoutMs);
    },
  };
}

function createSink(options: ResolvedOptions, config: TelemetryConfig, names: EnvNames, configDir: string, onError: (error: unknown) => void): Sink {
  const destination = config.destination;
  switch (destination.kind) {
    case 'file':
      return createFileSink(destination.path, onError);
    case 'host':
      return createHostSink(options.meterProvider!, options.version, options.traceIdAttribute, onError);
    case 'otlp': {
      const target = {
        url: destination.url,
        headers: destination.headers,
        compression: destination.compression,
        serviceName: options.name,
        serviceVersion: options.version,
        includeTraceId: options.traceIdAttribute,
      };
      // Made on first use: inline delivery that ends normally never touches the disk.
      let writer: SpoolWriter | undefined;
      const spool = () =>
        (writer ??= createSpoolWriter({
          root: resolveSpoolRoot(options.env, names.spoolDir, configDir),
          target,
          tuning: parseTuning(readEnv(options.env, TUNING_ENV)),
          onError,
        }));
      const inline = createOtlpSink(target, onError, spool);
      return config.delivery === 'background' ? createSpoolSink(spool(), inline) : inline;
    }
  }
}

/**
 * Whatever the sink does, the caller waits at most `timeoutMs`. The deadline
 * timer is deliberately not unref'd: a CLI awaiting `shutdown()` at top level
 * while delivery waits on unref'd work would otherwise see Node exit with code
 * 13 (unsettled top-level await). It is cleared as soon as the flush ends, so
 * nothing outlives `shutdown()`.
 */
function flushWithin(sink: Sink, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
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
