import type { ReportRow } from './summarize.js';

const HEADERS = ['command', 'subcommand', 'calls', 'errors', 'error rate', 'p50 ms', 'p95 ms', 'p99 ms'];

/** A plain-text table, columns padded, numbers right-aligned. */
export function formatTable(rows: readonly ReportRow[], total: ReportRow): string {
  const cells = [...rows, total].map((row) => [
    row.command,
    row.subcommand === '' ? '-' : row.subcommand,
    String(row.calls),
    String(row.errors),
    `${(row.errorRate * 100).toFixed(1)}%`,
    formatMs(row.p50Ms),
    formatMs(row.p95Ms),
    formatMs(row.p99Ms),
  ]);
  const widths = HEADERS.map((header, column) => Math.max(header.length, ...cells.map((line) => (line[column] as string).length)));
  const render = (line: readonly string[]) =>
    line
      .map((cell, column) => (column < 2 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  const body = cells.slice(0, -1).map(render);
  return [render(HEADERS), rule, ...body, rule, render(cells.at(-1) as string[])].join('\n') + '\n';
}

function formatMs(value: number): string {
  return Number.isNaN(value) ? '-' : String(Math.round(value));
}
