import type { TelemetryConfig } from './config.js';
import { loadConfig } from './config.js';
import { createDebugLog, describeDestination } from './debug-log.js';
import type { Decision } from './decision.js';
import { createDisabledTelemetry } from './disabled-telemetry.js';
import { readEnv, STANDARD_ENV, type EnvNames } from './env-names.js';
import { registerExitParticipant } from './exit-hooks.js';
import { createInvocation, type Invocation } from './invocation.js';
import { mapCommandPath } from './command-path.js';
import type { InvocationEvent } from './invocation-event.js';
import { showNoticeOnce } from './notice.js';
import type { ResolvedOptions } from './options.js';
import { osType } from './os-type.js';
import { createFileSink } from './sinks/file-sink.js';
import { createHostSink } from './sinks/host-sink.js';
import { createOtlpSink } from './sinks/otlp-sink.js';
import type { Sink } from './sinks/sink.js';
import { createSpoolSink } from './sinks/spool-sink.js';
import { resolveSpoolRoot } from './spool/layout.js';
import { createSpoolWriter, type SpoolWriter } from './spool/spool-writer.js';
import { parseTuning, TUNING_ENV } from './spool/tuning.js';
import type { Telemetry } from './telemetry.js';
import { randomTraceId, traceIdFromTraceparent } from './trace-id.js';
import { writeStderr, type Warn } from './warnings.js';

/**
 * Everything telemetry needs once it is on, built as `dist/runtime.cjs` and
 * loaded by `createTelemetry` only then (see load-runtime.ts).
 */
export function createEnabledTelemetry(options: ResolvedOptions, decision: Decision, names: EnvNames, configDir: string, warn: Warn): Telemetry {
  const config = loadConfig(options, names, warn);
  if (config === undefined) return createDisabledTelemetry({ enabled: false, reason: 'no-destination', source: 'no usable destination' }, names, () => configDir);
  if (decision.reason === 'distribution-default') showNoticeOnce(configDir, options.name, names, writeStderr);
  return createTelemetryWith(options, decision, config, names, configDir);
}

function createTelemetryWith(options: ResolvedOptions, decision: Decision, config: TelemetryConfig, names: EnvNames, configDir: string): Telemetry {
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
      const invocation = createInvocation({ ...context, traceId: inheritedTraceId ?? randomTraceId() }, mapCommandPath(input, options.commandPath), (event) => {
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
  if (!sink.hasPending()) return Promise.resolve();
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
