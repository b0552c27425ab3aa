import { randomHex } from './random-hex.js';

/**
 * One id per invocation, so a failing run can be found both in telemetry and
 * in the CLI's own server logs (the CLI may send it as a request header).
 * When the CLI runs inside a traced job, the W3C `TRACEPARENT` variable wins so
 * the invocation joins that trace.
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
