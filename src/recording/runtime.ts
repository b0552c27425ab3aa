import { detectCaller } from '../vocabulary/caller.js';
import { detectAgent } from '../vocabulary/caller-agent.js';
import { detectCi } from '../vocabulary/caller-ci.js';
import type { TelemetryConfig } from './config.js';
import { loadConfig } from './config.js';
import { createDebugLog, describeDestination } from './debug-log.js';
import type { Decision } from '../start/decision.js';
import { createDisabledTelemetry } from '../start/disabled-telemetry.js';
import { readEnv, STANDARD_ENV, type EnvNames } from '../vocabulary/env-names.js';
import { registerExitParticipant } from './exit-hooks.js';
import { createInvocation } from './invocation.js';
import { mapCommandPath } from '../start/command-path.js';
import { readStartInput } from '../vocabulary/read-input.js';
import type { InvocationEvent } from '../vocabulary/invocation-event.js';
import { showNoticeOnce } from './notice.js';
import type { ResolvedOptions } from '../start/options.js';
import { osType } from './os-type.js';
import { createFileSink } from './sinks/file-sink.js';
import { createHostSink } from './sinks/host-sink.js';
import { createOtlpSink } from './sinks/otlp-sink.js';
import type { Sink } from './sinks/sink.js';
import { createSpoolSink } from './sinks/spool-sink.js';
import { resolveSpoolRoot } from '../delivery/spool/layout.js';
import { createSpoolWriter, type SpoolWriter } from '../delivery/spool/spool-writer.js';
import { parseTuning, TUNING_ENV } from '../delivery/spool/tuning.js';
import type { Invocation, Telemetry } from '../vocabulary/telemetry.js';
import { activeSpanTraceId, randomTraceId, traceIdFromTraceparent } from '../start/trace-id.js';
import { writeStderr, type Warn } from '../start/warnings.js';
import { isTerminal } from './terminal.js';
import { useCodeCache } from '../start/late-load.js';

/**
 * Everything telemetry needs once it is on, built as `dist/recording/runtime.cjs` and
 * loaded by `createTelemetry` only then (see load-runtime.ts).
 */
export function createEnabledTelemetry(options: ResolvedOptions, decision: Decision, names: EnvNames, configDir: string, warn: Warn): Telemetry {
  // This bundle's own copy of late-load.ts loads zod and the OTLP pipeline: cached as the start stage caches this bundle.
  useCodeCache(configDir);
  const config = loadConfig(options, names, warn);
  if (config === undefined)
    return createDisabledTelemetry(
      { enabled: false, reason: 'no-destination', source: 'no usable destination' },
      names,
      () => configDir,
      options.meterProviderProblem,
    );
  if (decision.reason === 'distribution-default' && aPersonReadsStderr(options)) {
    showNoticeOnce(configDir, options.name, names, options.userControls, writeStderr);
  }
  return createTelemetryWith(options, decision, config, names, configDir, warn);
}

/**
 * The notice is for a person: shown only on a terminal, and not in CI (runners
 * that give jobs a pseudo-terminal would print it into every fresh
 * container's log) nor to an AI agent. Not shown means not marked as shown.
 */
function aPersonReadsStderr(options: ResolvedOptions): boolean {
  return isTerminal(2) && detectCi(options.env) === undefined && detectAgent(options.env) === undefined;
}

function createTelemetryWith(options: ResolvedOptions, decision: Decision, config: TelemetryConfig, names: EnvNames, configDir: string, warn: Warn): Telemetry {
  const debug = config.debug ? createDebugLog(writeStderr) : undefined;
  debug?.destination(config.destination);
  if (options.meterProviderProblem !== undefined) debug?.meterProviderProblem(options.meterProviderProblem);
  const onError = (error: unknown) => debug?.problem(error);
  // Resolved now, not on first use: a bad spool dir warns at creation, like every other variable.
  const spoolRoot = config.destination.kind === 'otlp' ? resolveSpoolRoot(options.env, names.spoolDir, configDir, warn) : '';
  const sink = createSink(options, config, spoolRoot, onError);
  const context = {
    cliVersion: options.version,
    channel: config.channel,
    os: osType(),
    caller: options.recordCaller ? detectCaller(options.env, { stdin: isTerminal(0), stdout: isTerminal(1) }) : undefined,
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
    status: { ...decision, destination: describeDestination(config.destination), meterProviderProblem: options.meterProviderProblem, env: names, configDir },
    start(input) {
      // The host's active span first (the invocation joins the trace it runs in), then TRACEPARENT, then a fresh id.
      const invocation = createInvocation(
        { ...context, traceId: activeSpanTraceId() ?? inheritedTraceId ?? randomTraceId() },
        mapCommandPath(readStartInput(input), options.commandPath),
        (event) => {
          open.delete(invocation);
          record(event);
        },
      );
      open.add(invocation);
      return invocation;
    },
    shutdown() {
      return flushWithin(sink, config.timeoutMs);
    },
  };
}

function createSink(options: ResolvedOptions, config: TelemetryConfig, spoolRoot: string, onError: (error: unknown) => void): Sink {
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
          root: spoolRoot,
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
