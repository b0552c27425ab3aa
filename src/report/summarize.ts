import { percentile } from './percentile.js';
import type { ReportEvent } from './read-events.js';

/** One row of `cmdtel report`: a command and subcommand. */
export interface ReportRow {
  readonly command: string;
  readonly subcommand: string;
  readonly calls: number;
  readonly errors: number;
  /** errors / calls, 0..1. */
  readonly errorRate: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

/** Groups by command and subcommand, busiest first. `cancelled` is not an error. */
export function summarize(events: readonly ReportEvent[]): ReportRow[] {
  const groups = new Map<string, ReportEvent[]>();
  for (const event of events) {
    const key = `${event.command}\u0000${event.subcommand}`;
    const group = groups.get(key);
    if (group) group.push(event);
    else groups.set(key, [event]);
  }
  const rows = [...groups.values()].map((group) => toRow(group));
  return rows.sort((a, b) => b.calls - a.calls || a.command.localeCompare(b.command) || a.subcommand.localeCompare(b.subcommand));
}

/** The same figures over every event. */
export function summarizeAll(events: readonly ReportEvent[]): ReportRow {
  return toRow(events, '(all)', '');
}

function toRow(group: readonly ReportEvent[], command = group[0]?.command ?? '', subcommand = group[0]?.subcommand ?? ''): ReportRow {
  const durations = group.map((event) => event.durationMs).sort((a, b) => a - b);
  const errors = group.filter((event) => event.outcome === 'error').length;
  return {
    command,
    subcommand,
    calls: group.length,
    errors,
    errorRate: group.length === 0 ? 0 : errors / group.length,
    p50Ms: percentile(durations, 0.5),
    p95Ms: percentile(durations, 0.95),
    p99Ms: percentile(durations, 0.99),
  };
}
