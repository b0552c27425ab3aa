import { UNKNOWN_MARKER } from '../vocabulary/coarse.js';
import type { StartInput } from '../vocabulary/invocation-event.js';
import type { Invocation } from '../vocabulary/telemetry.js';
import type { Telemetry } from '../vocabulary/telemetry.js';

/** The command recorded when the CLI ran at its root: no subcommand, `--help`, `--version`. */
export const ROOT_COMMAND = '_root';
/** `error.type` of an unknown command (its text is user input and is never recorded). */
export const UNKNOWN_COMMAND_ERROR = 'unknown_command';
/** `error.type` of an argument error: a missing or excess argument, an unknown option, a failed validation. */
export const USAGE_ERROR = 'usage';

/** What a framework adapter accepts besides the framework object and the telemetry. */
export interface AdapterOptions {
  /**
   * Exit code and error class of an error a command threw. Default: the
   * error's own integer `exitCode` (else 1) and its `errorClass` string (else `internal`).
   */
  classifyError?: (error: unknown) => { exitCode?: number; errorClass?: string } | undefined;
  /** Shows an error a command threw. Default: its message on stderr. */
  onError?: (error: unknown) => void;
  /** Set `process.exitCode` to the recorded exit code. Default true. */
  setExitCode?: boolean;
}

/** A command path as the framework declared it (never what the user typed) → command and subcommand. */
export function startInputFor(path: readonly string[]): StartInput {
  const [command, ...rest] = path;
  if (command === undefined) return { command: ROOT_COMMAND };
  return rest.length === 0 ? { command } : { command, subcommand: rest.join('.') };
}

/**
 * The exit code of a command that returned normally: what its action set on
 * `process.exitCode` (as the documented `process.exitCode = runTelemetryCommand(...)`
 * does), else 0. Read, not overwritten, so the process and the record agree.
 */
export function exitCodeSetByAction(): number {
  return processExitCode() ?? 0;
}

/** The path below which the user named a command that does not exist. */
export function unknownBelow(path: readonly string[]): StartInput {
  return path.length === 0 ? { command: UNKNOWN_MARKER } : startInputFor([...path, UNKNOWN_MARKER]);
}

/**
 * One recorded run: started once the framework has resolved the command (its
 * parse time, well under a millisecond, is not counted), ended once.
 */
export class RecordedRun {
  #invocation: Invocation | undefined;

  constructor(
    private readonly telemetry: Telemetry,
    private readonly options: AdapterOptions = {},
  ) {}

  begin(input: StartInput): void {
    this.#invocation ??= this.telemetry.start(input);
  }

  /**
   * The framework is done with the command: the run ends when the process really does. An action
   * may have left work running that later calls `process.exit(n)` or sets `process.exitCode`, so
   * the result here is provisional. The run ends at `beforeExit` (nothing left to run: the exit code
   * is `process.exitCode`, else this one) and then delivers; a `process.exit(n)` or a signal before
   * that ends it through the exit hooks with the real code. Resolves at once with the provisional
   * exit code, which it also sets as `process.exitCode` unless the action set one.
   */
  async finish(input: StartInput, exitCode: number, errorClass?: string): Promise<number> {
    this.begin(input);
    const invocation = this.#invocation!;
    if (this.options.setExitCode !== false) process.exitCode = exitCode;
    const endWith = (finalCode: number): void => {
      process.removeListener('beforeExit', endAtDrain);
      process.removeListener('exit', endAtExit);
      invocation.end(finalCode === 0 ? { exitCode: 0 } : { exitCode: finalCode, errorClass: finalCode === exitCode ? errorClass : undefined });
    };
    const endAtDrain = (): void => {
      endWith(processExitCode() ?? exitCode);
      // The send keeps the loop alive within the timeout; beforeExit then comes again, without us.
      void this.telemetry.shutdown();
    };
    // Before cmdtel's own exit hook, which then hands the ended event over with the rest.
    const endAtExit = (code: number): void => endWith(code);
    process.on('beforeExit', endAtDrain);
    process.prependListener('exit', endAtExit);
    return exitCode;
  }

  /** Exit code and class of an error a command threw, shown to the user as configured. */
  thrown(error: unknown): { exitCode: number; errorClass: string } {
    try {
      (this.options.onError ?? showError)(error);
    } catch {
      // Showing the error must not stop it being recorded.
    }
    const custom = safely(() => this.options.classifyError?.(error));
    const own = (typeof error === 'object' && error !== null ? error : {}) as { exitCode?: unknown; errorClass?: unknown };
    return {
      exitCode: integer(custom?.exitCode) ?? integer(own.exitCode) ?? 1,
      errorClass: stringOr(custom?.errorClass) ?? stringOr(own.errorClass) ?? 'internal',
    };
  }
}

/** The exit code the process would end with now, when one was set. */
function processExitCode(): number | undefined {
  const code: unknown = process.exitCode;
  if (typeof code === 'number' && Number.isInteger(code)) return code;
  if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code);
  return undefined;
}

function showError(error: unknown): void {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
