import type { InvocationEvent } from './invocation-event.js';

/**
 * The file-sink (and debug) form of an event: the reference's JSON keys in
 * the reference's order, optional ones left out when empty. The subcommand is
 * always present so line-based tools can rely on it.
 */
export function toEventLine(event: InvocationEvent): string {
  const line: Record<string, string | number> = {
    schema_version: event.schemaVersion,
    ts: event.ts,
    trace_id: event.traceId,
  };
  if (event.corpId !== undefined) line.corp_id = event.corpId;
  line.cli_version = event.cliVersion;
  if (event.channel !== undefined) line.channel = event.channel;
  line.os = event.os;
  if (event.callerType !== undefined) line.caller_type = event.callerType;
  if (event.callerName !== undefined) line.caller_name = event.callerName;
  line.command = event.command;
  line.subcommand = event.subcommand ?? '';
  line.outcome = event.outcome;
  if (event.errClass !== undefined) line.err_class = event.errClass;
  line.exit_code = event.exitCode;
  line.duration_ms = event.durationMs;
  return `${JSON.stringify(line)}\n`;
}
