import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatTable } from '../report/format-table.js';
import { readEvents } from '../report/read-events.js';
import { summarize, summarizeAll } from '../report/summarize.js';
import { collectorCommand } from './collector-command.js';
import { rulesCommand } from './rules-command.js';

/** The `cmdtel` command: a local dashboard for file-sink output, and the operator's tools. */
const USAGE = `usage: cmdtel report [--file FILE] [--json]
       cmdtel rules [--params FILE] [--set KEY=VALUE]... [--out FILE]
       cmdtel collector list|config NAME|manifest|path NAME
       cmdtel --version

report     summarises a cmdtel file sink (<PREFIX>_TELEMETRY_FILE), per command and
           subcommand: calls, errors, error rate, p50/p95/p99 milliseconds.
           Reads standard input when --file is not given.
rules      renders the Prometheus alerting rules with your thresholds (cmdtel rules --help).
collector  prints the shipped OpenTelemetry Collector configurations and builder manifest.
`;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'rules') return rulesCommand(argv.slice(1));
  if (argv[0] === 'collector') return collectorCommand(argv.slice(1));
  let parsed: { values: { file?: string; json?: boolean; help?: boolean; version?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        file: { type: 'string', short: 'f' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    process.stderr.write(`cmdtel: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [subcommand, ...extra] = parsed.positionals;
  if (parsed.values.version) {
    // dist/cli/main.js sits two levels below the package root, where package.json always ships.
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (subcommand !== 'report' || extra.length > 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const source = parsed.values.file ?? 0;
  if (source === 0 && process.stdin.isTTY) {
    process.stderr.write(`cmdtel: give --file FILE or pipe a file sink into standard input\n${USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (error) {
    process.stderr.write(
      `cmdtel: cannot read ${source === 0 ? 'standard input' : source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
    );
    return 1;
  }
  const { events, skippedLines } = readEvents(text);
  const rows = summarize(events);
  const total = summarizeAll(events);
  if (parsed.values.json) {
    process.stdout.write(`${JSON.stringify({ rows, total, skippedLines }, null, 2)}\n`);
  } else {
    process.stdout.write(formatTable(rows, total));
    if (skippedLines > 0) process.stdout.write(`(${skippedLines} line${skippedLines === 1 ? '' : 's'} skipped: not cmdtel events)\n`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
