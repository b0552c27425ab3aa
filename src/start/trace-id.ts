import { randomHex } from './random-hex.js';

/**
 * One id per invocation, so a failing run can be found both in telemetry and
 * in the CLI's own server logs (the CLI may send it as a request header).
 * Inside an active span of a host that runs OpenTelemetry, the invocation takes
 * that span's trace id; otherwise, when the CLI runs inside a traced job, the
 * W3C `TRACEPARENT` variable's, so the invocation joins that trace.
 */
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;
const ALL_ZERO = '0'.repeat(32);

export function traceIdFromTraceparent(traceparent: string | undefined): string | undefined {
  if (traceparent === undefined) return undefined;
  const match = TRACEPARENT.exec(traceparent.trim().toLowerCase());
  const traceId = match?.[1];
  return traceId !== undefined && traceId !== ALL_ZERO ? traceId : undefined;
}

/** 32 lowercase hex characters, as W3C Trace Context defines a trace id. */
export function randomTraceId(): string {
  return randomHex(16);
}

/** Where `@opentelemetry/api` 1.x keeps its registered globals (context manager, providers) on `globalThis`. */
const OTEL_API_GLOBAL = Symbol.for('opentelemetry.js.api.1');
/** The context key under which the API stores the active span (`createContextKey` uses `Symbol.for`). */
const SPAN_CONTEXT_KEY = Symbol.for('OpenTelemetry Context Key SPAN');
const TRACE_ID = /^[0-9a-f]{32}$/;

interface ApiGlobals {
  context?: { active?(): { getValue?(key: symbol): unknown } | undefined };
}

/**
 * The trace id of the span active right now, when the host runs OpenTelemetry
 * (`@opentelemetry/api` with a registered context manager, as NodeSDK's
 * `start()` sets up). Read from the API's global registration on `globalThis`
 * rather than by importing the API: a CLI without it loads nothing, and a host
 * that has it already loaded pays a few property reads. Undefined when the API
 * is absent, no span is active, or the id is invalid (all zeros); never throws.
 */
export function activeSpanTraceId(): string | undefined {
  try {
    const api = (globalThis as Record<symbol, ApiGlobals | undefined>)[OTEL_API_GLOBAL];
    const span = api?.context?.active?.()?.getValue?.(SPAN_CONTEXT_KEY) as { spanContext?(): { traceId?: unknown } } | undefined;
    const traceId = span?.spanContext?.()?.traceId;
    return typeof traceId === 'string' && TRACE_ID.test(traceId) && traceId !== ALL_ZERO ? traceId : undefined;
  } catch {
    return undefined;
  }
}
