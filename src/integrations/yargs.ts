import type { Telemetry } from '../vocabulary/telemetry.js';
import { exitCodeSetByAction, RecordedRun, startInputFor, unknownBelow, UNKNOWN_COMMAND_ERROR, USAGE_ERROR, type AdapterOptions } from './recorded-run.js';

export { ROOT_COMMAND, UNKNOWN_COMMAND_ERROR, USAGE_ERROR, type AdapterOptions } from './recorded-run.js';

/** Where yargs keeps the declared commands it is in, and the ones it knows. */
export interface YargsCommandContext {
  getContext(): { commands: string[]; fullCommands: string[] };
  getCommandInstance(): { getCommands(): string[] };
}

/**
 * The parts of a yargs instance this adapter uses; yargs itself is the host's
 * dependency. The command path comes from yargs' context of declared commands:
 * `getInternalMethods().getContext()` (yargs 17+, the interface yargs' own
 * plugins use), or `getContext()` on the instance itself (yargs 16, which many
 * published CLIs still pin). yargs 16 has no `parseAsync`: its `parse()` is used.
 */
export interface YargsInstance extends Partial<YargsCommandContext> {
  exitProcess(enabled: boolean): YargsInstance;
  middleware(callback: (argv: unknown) => void, applyBeforeValidation?: boolean): YargsInstance;
  parseAsync?(): Promise<unknown>;
  parse?(): unknown;
  readonly parsed: false | { argv: { _: ReadonlyArray<string | number> } };
  getInternalMethods?(): YargsCommandContext;
  /** yargs 16: where a handler's rejected promise is reported (see `exitOnRejectedHandler`). */
  getUsageInstance?(): { fail(message: string | null, error?: unknown): unknown };
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
  const internal = (): Partial<YargsCommandContext> => yargs.getInternalMethods?.() ?? yargs;
  yargs.exitProcess(false).middleware(() => {
    lastPath = declaredPath(internal().getContext?.().fullCommands ?? []);
    run.begin(startInputFor(lastPath));
  }, false);
  if (!yargs.parseAsync) exitOnRejectedHandler(yargs);
  try {
    await (yargs.parseAsync ? yargs.parseAsync() : yargs.parse?.());
  } catch (error) {
    if (!isYargsValidation(error)) {
      const { exitCode, errorClass } = run.thrown(error);
      return run.finish(startInputFor(lastPath), exitCode, errorClass);
    }
    // A failed validation leaves the context of the command it happened in.
    const path = declaredPath(internal().getContext?.().fullCommands ?? []);
    const unknown = namesUnknownCommand(yargs, internal(), path.length);
    return run.finish(unknown ? unknownBelow(path) : startInputFor(path), 1, unknown ? UNKNOWN_COMMAND_ERROR : USAGE_ERROR);
  }
  return run.finish(startInputFor(lastPath), exitCodeSetByAction());
}

/**
 * yargs 16 runs an async handler without awaiting it and reports its rejection through
 * `usage.fail(null, error)`, which prints the error and then exits 1 — or, with `exitProcess(false)`,
 * throws into a catch that swallows it, so the process would end 0. Exit 1 there, as yargs 16
 * itself does; the exit hooks record it. A CLI's own `.fail()` handler (fail then returns) decides
 * as before.
 */
function exitOnRejectedHandler(yargs: YargsInstance): void {
  const usage = yargs.getUsageInstance?.();
  if (typeof usage?.fail !== 'function') return;
  const fail = usage.fail.bind(usage);
  usage.fail = (message, error) => {
    try {
      return fail(message, error);
    } catch (thrown) {
      if (message === null) process.exit(1);
      throw thrown;
    }
  };
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
function namesUnknownCommand(yargs: YargsInstance, context: Partial<YargsCommandContext>, depth: number): boolean {
  const next = yargs.parsed === false ? undefined : yargs.parsed.argv._[depth];
  if (next === undefined) return false;
  const known = context.getCommandInstance?.().getCommands() ?? [];
  return known.length > 0 && !known.includes(String(next));
}
