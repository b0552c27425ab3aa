/**
 * Reads a file-sink JSON-lines text. Lines that are not events (torn,
 * hand-edited, another tool's) are counted and skipped, never fatal.
 */
export interface ReportEvent {
  readonly command: string;
  readonly subcommand: string;
  readonly outcome: string;
  readonly exitCode: number;
  readonly durationMs: number;
}

export interface ReadResult {
  readonly events: ReportEvent[];
  readonly skippedLines: number;
}

export function readEvents(text: string): ReadResult {
  const events: ReportEvent[] = [];
  let skippedLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const event = parseLine(line);
    if (event === undefined) skippedLines += 1;
    else events.push(event);
  }
  return { events, skippedLines };
}

function parseLine(line: string): ReportEvent | undefined {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const { command, subcommand, outcome, exit_code: exitCode, duration_ms: durationMs } = value;
  if (typeof command !== 'string' || typeof outcome !== 'string') return undefined;
  if (typeof exitCode !== 'number' || typeof durationMs !== 'number') return undefined;
  return { command, subcommand: typeof subcommand === 'string' ? subcommand : '', outcome, exitCode, durationMs };
}
