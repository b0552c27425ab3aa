import { INVALID_MARKER } from '../vocabulary/coarse.js';
import type { StartInput } from '../vocabulary/invocation-event.js';

/** Splits one declared command name into its levels. */
export type CommandPathMapper = (name: string) => readonly string[];

/** oclif's convention, common in published CLIs: `db:migrate` is command `db`, subcommand `migrate`. */
export const splitAtColons: CommandPathMapper = (name) => name.split(':');

/**
 * The command and subcommand to record for what the CLI said: the command and
 * the subcommand are each mapped to levels (default: split at `:`), the first
 * level is the command and the rest, joined with `.` as the adapters join
 * nested commands, the subcommand. So `{ command: 'db:migrate', subcommand: 'up' }`
 * records `db` / `migrate.up`. Empty levels (`db::x`, a trailing `:`) are dropped.
 * A mapper that throws or returns something other than an array of strings
 * makes that name the `_invalid` marker. Never throws; the levels still go
 * through the coarse-token rule when the event is built.
 */
export function mapCommandPath(input: StartInput, mapper: CommandPathMapper = splitAtColons): StartInput {
  if (typeof input !== 'object' || input === null) return input;
  const command = levels(input.command, mapper);
  if (command === undefined) return input;
  const subcommand = levels(input.subcommand, mapper) ?? [];
  const all = [...command, ...subcommand];
  const [first, ...rest] = all;
  const mapped: StartInput = { ...input, command: first ?? INVALID_MARKER };
  if (rest.length > 0) mapped.subcommand = rest.join('.');
  else delete mapped.subcommand;
  return mapped;
}

/** undefined when there is no name to map (not a string, or empty); else at least one level. */
function levels(name: unknown, mapper: CommandPathMapper): string[] | undefined {
  if (typeof name !== 'string' || name === '') return undefined;
  let result: unknown;
  try {
    result = mapper(name);
  } catch {
    return [INVALID_MARKER];
  }
  if (!Array.isArray(result) || !result.every((level) => typeof level === 'string')) return [INVALID_MARKER];
  const kept = (result as string[]).filter((level) => level !== '');
  return kept.length > 0 ? kept : [INVALID_MARKER];
}
