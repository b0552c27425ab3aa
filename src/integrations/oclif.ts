import type { StartInput } from '../vocabulary/invocation-event.js';
import type { Telemetry } from '../vocabulary/telemetry.js';
import {
  exitCodeSetByAction,
  RecordedRun,
  ROOT_COMMAND,
  startInputFor,
  unknownBelow,
  UNKNOWN_COMMAND_ERROR,
  USAGE_ERROR,
  type AdapterOptions,
} from './recorded-run.js';

export { ROOT_COMMAND, UNKNOWN_COMMAND_ERROR, USAGE_ERROR, type AdapterOptions } from './recorded-run.js';

interface OclifConfig {
  findCommand(id: string): { id: unknown } | undefined;
  findTopic(id: string): unknown;
  runCommand(id: string, argv?: string[], cachedCommand?: unknown): Promise<unknown>;
}

/** The parts of `@oclif/core` this adapter uses (`import * as oclif from '@oclif/core'`); oclif is the host's dependency. */
export interface OclifCore {
  Config: { prototype: OclifConfig };
  run(argv?: string[], options?: OclifLoadOptions): Promise<unknown>;
  flush?(timeout?: number): Promise<void>;
  handle(error: Error): Promise<void>;
}

/**
 * What oclif's `run()` and `Config.load()` accept (its `LoadOptions`):
 * `import.meta.url`, a root path, or `{ root, pjson }`. Not a `URL` object:
 * oclif's types do not take one, and a wider type here makes `runOclif(oclif, ...)`
 * fail to compile against `@oclif/core`'s own declarations.
 */
export type OclifLoadOptions = string | { root: string; [option: string]: unknown };

export interface OclifRunOptions extends AdapterOptions {
  /** The CLI's root, as for oclif's `execute({ dir })`: usually `import.meta.url`, or `{ root, pjson }`. */
  dir: OclifLoadOptions;
  /** Default `process.argv.slice(2)`. */
  argv?: string[];
}

/**
 * Runs an oclif CLI like oclif's `execute()` (run, flush, and on error
 * `handle`, which prints and exits with the error's `oclif.exit`), recording
 * the invocation: the command id split at `:` (`task:add` → task, add), an
 * unknown command below the deepest declared topic, argument errors
 * (`usage`), and errors commands raise with `this.error(message, { exit, code })`
 * (the code is the error class). Resolves to the exit code.
 *
 * oclif offers no programmatic hook for "which command is about to run", so
 * for the length of this call `Config.prototype.runCommand` is wrapped to see
 * the resolved command id; it is restored before this resolves.
 */
export async function runOclif(oclif: OclifCore, telemetry: Telemetry, options: OclifRunOptions): Promise<number> {
  const run = new RecordedRun(telemetry, { onError: () => {}, ...options });
  let target: StartInput | undefined;
  const proto = oclif.Config.prototype;
  const runCommand = proto.runCommand;
  proto.runCommand = function (this: OclifConfig, id, argv, cachedCommand) {
    if (target === undefined) {
      const command = (cachedCommand as { id: unknown } | undefined) ?? this.findCommand(id);
      target = command === undefined ? unknownBelow(declaredTopic(this, id)) : startInputFor(idPath(command.id));
      if (command !== undefined) run.begin(target);
    }
    return runCommand.call(this, id, argv, cachedCommand);
  };
  try {
    await oclif.run(options.argv ?? process.argv.slice(2), options.dir);
    await oclif.flush?.();
  } catch (error) {
    proto.runCommand = runCommand;
    const { exitCode, errorClass } = classify(run, error, target);
    await run.finish(target ?? { command: ROOT_COMMAND }, exitCode, errorClass);
    await oclif.handle(error as Error);
    return exitCode;
  } finally {
    proto.runCommand = runCommand;
  }
  return run.finish(target ?? { command: ROOT_COMMAND }, exitCodeSetByAction());
}

function classify(run: RecordedRun, error: unknown, target: StartInput | undefined): { exitCode: number; errorClass: string } {
  const own = (typeof error === 'object' && error !== null ? error : {}) as { oclif?: { exit?: unknown }; code?: unknown; parse?: unknown; message?: unknown };
  const oclifExit = typeof own.oclif?.exit === 'number' ? own.oclif.exit : 1;
  if (target !== undefined && (target.command === UNKNOWN_COMMAND_MARKER || target.subcommand?.endsWith(UNKNOWN_COMMAND_MARKER))) {
    return { exitCode: oclifExit, errorClass: UNKNOWN_COMMAND_ERROR };
  }
  // Parser errors carry `parse`; a flag's own parse function failing is only marked in the message oclif rewrites.
  if (own.parse !== undefined || (typeof own.message === 'string' && own.message.startsWith('Parsing --')))
    return { exitCode: oclifExit, errorClass: USAGE_ERROR };
  const thrown = run.thrown(error);
  return {
    exitCode: typeof own.oclif?.exit === 'number' ? own.oclif.exit : thrown.exitCode,
    errorClass: thrown.errorClass !== 'internal' ? thrown.errorClass : typeof own.code === 'string' ? own.code : 'internal',
  };
}

const UNKNOWN_COMMAND_MARKER = unknownBelow([]).command;

/** `task:add` → `['task', 'add']`. */
function idPath(id: unknown): string[] {
  return typeof id === 'string' ? id.split(':').filter((part) => part !== '') : [];
}

/** The longest declared topic the unknown id starts with; only declared names leave here. */
function declaredTopic(config: OclifConfig, id: string): string[] {
  const parts = id.split(':');
  for (let length = parts.length - 1; length > 0; length -= 1) {
    const prefix = parts.slice(0, length);
    if (config.findTopic(prefix.join(':')) !== undefined) return prefix;
  }
  return [];
}
