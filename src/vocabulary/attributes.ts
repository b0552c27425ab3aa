import type { MetricAttributes } from './meter-provider-like.js';
import type { InvocationEvent } from './invocation-event.js';

/**
 * Dimension → OpenTelemetry attribute. Semantic-convention names where one
 * exists, `cli.*` otherwise. docs/attributes.md carries the same table with
 * the Prometheus label each becomes; change both together.
 */
export const ATTRIBUTE = {
  command: 'cli.command',
  subcommand: 'cli.subcommand',
  outcome: 'cli.outcome',
  exitCode: 'process.exit.code',
  errorType: 'error.type',
  channel: 'cli.channel',
  os: 'os.type',
  callerType: 'cli.caller.type',
  callerName: 'cli.caller.name',
  cliVersion: 'service.version',
  corpId: 'cli.org.id',
  traceId: 'cli.trace.id',
} as const;

/** The datapoint attributes of one event. The trace id only on explicit opt-in: it makes a series per invocation. */
export function toAttributes(event: InvocationEvent, includeTraceId: boolean): MetricAttributes {
  const attributes: MetricAttributes = {
    [ATTRIBUTE.command]: event.command,
    [ATTRIBUTE.outcome]: event.outcome,
    [ATTRIBUTE.exitCode]: event.exitCode,
    [ATTRIBUTE.os]: event.os,
    [ATTRIBUTE.cliVersion]: event.cliVersion,
  };
  if (event.subcommand !== undefined) attributes[ATTRIBUTE.subcommand] = event.subcommand;
  if (event.errClass !== undefined) attributes[ATTRIBUTE.errorType] = event.errClass;
  if (event.channel !== undefined) attributes[ATTRIBUTE.channel] = event.channel;
  if (event.callerType !== undefined) attributes[ATTRIBUTE.callerType] = event.callerType;
  if (event.callerName !== undefined) attributes[ATTRIBUTE.callerName] = event.callerName;
  if (event.corpId !== undefined) attributes[ATTRIBUTE.corpId] = event.corpId;
  if (includeTraceId) attributes[ATTRIBUTE.traceId] = event.traceId;
  return attributes;
}
