import type { Telemetry } from '../vocabulary/telemetry.js';
import { exitCodeSetByAction, RecordedRun, startInputFor, unknownBelow, UNKNOWN_COMMAND_ERROR, USAGE_ERROR, type AdapterOptions } from './recorded-run.js';

export { ROOT_COMMAND, UNKNOWN_COMMAND_ERROR, USAGE_ERROR, type AdapterOptions } from './recorded-run.js';

/**
 * The parts of a yargs instance this adapter uses, as published types
 * (`@types/yargs`' `Argv`) describe them; yargs itself is the host's dependency.
 */
export interface YargsInstance {
  exitProcess(enabled: boolean): YargsInstance;
  middleware(callback: (argv: unknown) => void, applyBeforeValidation?: boolean): YargsInstance;
  parseAsync(): Promise<unknown>;
  readonly parsed: false | { argv: { _: ReadonlyArray<string | number> } };
}

/**
 * The command path comes from yargs' context of declared commands
 * (`getInternalMethods().getContext()`, the interface yargs' own completion and
 * validation use). Every yargs 17/18 instance has it, but `@types/yargs` does
 * not declare it, so it is not part of {@link YargsInstance}: requiring it there
 * would reject `runYargs(yargs(...))` in a typed CLI (TS2345).
 */
interface YargsInternals {
  getInternalMethods(): {
    getContext(): { commands: string[]; fullCommands: string[] };
    getCommandInstance(): { getCommands(): string[] };
  };
}

/**
 * Parses and runs a yargs program, recording the invocation: the command
 * path as declared (`note add`, never what the user typed), and for failures
 * the exit code yargs would use (1) with `usage` or `unknown_command`, or the
 * exit code and class of an error a handler threw. yargs still prints its own
 * messages; the process is not exited (`exitProcess(false)`), `process.exitCode`
 * is set. Resolves to the exit code, after `telemetry.shutdown()`.
 */
export async function runYargs(yargs: YargsInstance, telemetry: Telemetry, options: AdapterOptions = {}): Promise<number> {
  const run = new RecordedRun(telemetry, options);
  let lastPath: string[] = [];
  const internal = () => (yargs as YargsInstance & YargsInternals).getInternalMethods();
  yargs.exitProcess(false).middleware(() => {
    lastPath = declaredPath(internal().getContext().fullCommands);
    run.begin(startInputFor(lastPath));
  }, false);
  try {
    await yargs.parseAsync();
  } catch (error) {
    if (!isYargsValidation(error)) {
      const { exitCode, errorClass } = run.thrown(error);
      return run.finish(startInputFor(lastPath), exitCode, errorClass);
    }
    // A failed validation leaves the context of the command it happened in.
    const path = declaredPath(internal().getContext().fullCommands);
    const unknown = namesUnknownCommand(yargs, path.length);
    return run.finish(unknown ? unknownBelow(path) : startInputFor(path), 1, unknown ? UNKNOWN_COMMAND_ERROR : USAGE_ERROR);
  }
  return run.finish(startInputFor(lastPath), exitCodeSetByAction());
}

function isYargsValidation(error: unknown): boolean {
  return error instanceof Error && error.name === 'YError';
}

/** `['note <verb>', 'add <text..>']` → `['note', 'add']`; a default command (`$0`, `*`) adds nothing. */
function declaredPath(fullCommands: readonly string[]): string[] {
  const path: string[] = [];
  for (const declared of fullCommands) {
    const name = declared.trim().split(/\s+/)[0] ?? '';
    if (name !== '' && name !== '$0' && name !== '*') path.push(name);
  }
  return path;
}

/** Whether the word after the matched commands should have been a command and is not one. */
function namesUnknownCommand(yargs: YargsInstance, depth: number): boolean {
  const next = yargs.parsed === false ? undefined : yargs.parsed.argv._[depth];
  if (next === undefined) return false;
  const known = (yargs as YargsInstance & YargsInternals).getInternalMethods().getCommandInstance().getCommands();
  return known.length > 0 && !known.includes(String(next));
}
