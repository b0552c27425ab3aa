/**
 * Warnings about bad environment values: one line on stderr per variable and
 * process, then the caller falls back to the default. Never throws: stderr may
 * be closed, and telemetry must not be the thing that breaks a command.
 */
export type Warn = (variable: string, message: string) => void;

export function createWarn(write: (line: string) => void = writeStderr): Warn {
  const warned = new Set<string>();
  return (variable, message) => {
    if (warned.has(variable)) return;
    warned.add(variable);
    try {
      write(`cmdtel: ${variable}: ${message}\n`);
    } catch {
      // Nowhere left to report to.
    }
  };
}

export function writeStderr(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    // A closed stderr is not our problem to solve.
  }
}
