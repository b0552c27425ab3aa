/**
 * Thrown by `createTelemetry` when the options written in code are wrong.
 * This is the only error cmdtel ever throws: a programmer mistake should fail
 * at once, in development, with a message that says what to fix.
 */
export class CmdtelOptionsError extends TypeError {
  override readonly name = 'CmdtelOptionsError';

  constructor(option: string, problem: string) {
    super(`cmdtel: option "${option}" ${problem}`);
  }
}
