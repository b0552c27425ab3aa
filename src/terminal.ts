import { nodeRequire } from './node-require.js';

/**
 * Whether a standard stream is a terminal. `tty.isatty(fd)` instead of
 * `process.stdin.isTTY`: touching `process.stdin` builds a stream (and for a
 * pipe, a socket), which costs time and can keep a process waiting. Only
 * called once telemetry is on.
 */
export function isTerminal(fd: 0 | 1 | 2): boolean {
  try {
    const { isatty } = nodeRequire('node:tty') as typeof import('node:tty');
    return isatty(fd);
  } catch {
    return false;
  }
}
