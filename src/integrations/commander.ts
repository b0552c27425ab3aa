import type { Telemetry } from '../vocabulary/telemetry.js';
import { exitCodeSetByAction, RecordedRun, startInputFor, unknownBelow, UNKNOWN_COMMAND_ERROR, USAGE_ERROR, type AdapterOptions } from './recorded-run.js';

export { ROOT_COMMAND, UNKNOWN_COMMAND_ERROR, USAGE_ERROR, type AdapterOptions } from './recorded-run.js';

/** The parts of a commander `Command` this adapter uses; commander itself is the host's dependency. */
export interface CommanderCommand {
  name(): string;
  readonly parent: CommanderCommand | null;
  readonly commands: readonly CommanderCommand[];
  exitOverride(callback: (error: CommanderErrorLike) => void): unknown;
  hook(event: 'preAction', listener: (thisCommand: CommanderCommand, actionCommand: CommanderCommand) => void): unknown;
  parseAsync(argv?: readonly string[], options?: { from: 'node' | 'user' | 'electron' }): Promise<unknown>;
}

interface CommanderErrorLike {
  readonly code: string;
  readonly exitCode: number;
}

/** Commander's error codes for what the user typed wrong, apart from an unknown command. */
const USAGE_CODES = new Set([
  'commander.unknownOption',
  'commander.missingArgument',
  'commander.optionMissingArgument',
  'commander.missingMandatoryOptionValue',
  'commander.excessArguments',
  'commander.invalidArgument',
  'commander.conflictingOption',
  'commander.help',
]);

/** Raised from commander's exit callback, remembering the command it came from. */
class CommanderExit extends Error {
  constructor(
    readonly command: CommanderCommand,
    readonly reason: CommanderErrorLike,
  ) {
    super(reason.code);
  }
}

/**
 * Parses and runs a commander program, recording the invocation: the command
 * path from commander's own command objects, the exit code and class of
 * unknown commands, argument errors and errors thrown by actions. Commander
 * still prints its messages; the process is not exited, `process.exitCode` is
 * set instead. Resolves to the exit code, after `telemetry.shutdown()`.
 */
export async function runCommander(
  program: CommanderCommand,
  telemetry: Telemetry,
  argv: readonly string[] = process.argv,
  options: AdapterOptions = {},
): Promise<number> {
  const run = new RecordedRun(telemetry, options);
  overrideExits(program);
  program.hook('preAction', (_thisCommand, actionCommand) => run.begin(startInputFor(pathOf(actionCommand))));
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (!(error instanceof CommanderExit)) {
      const { exitCode, errorClass } = run.thrown(error);
      return run.finish(startInputFor([]), exitCode, errorClass);
    }
    const { command, reason: cause } = error;
    if (cause.code === 'commander.unknownCommand') return run.finish(unknownBelow(pathOf(command)), cause.exitCode, UNKNOWN_COMMAND_ERROR);
    return run.finish(startInputFor(pathOf(command)), cause.exitCode, USAGE_CODES.has(cause.code) ? USAGE_ERROR : 'internal');
  }
  return run.finish(startInputFor([]), exitCodeSetByAction());
}

function overrideExits(command: CommanderCommand): void {
  command.exitOverride((cause) => {
    throw new CommanderExit(command, cause);
  });
  for (const child of command.commands) overrideExits(child);
}

/** Declared names from the root's child down to `command`. */
function pathOf(command: CommanderCommand): string[] {
  const path: string[] = [];
  for (let current: CommanderCommand | null = command; current?.parent; current = current.parent) path.unshift(current.name());
  return path;
}
