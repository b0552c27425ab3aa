import { builtin } from '../start/late-load.js';

let devNullDevice: number | undefined;

/**
 * Whether a standard stream is a terminal. Not `tty.isatty()`: loading
 * `node:tty` pulls in `net` and the stream machinery (several ms of CPU, more
 * than the rest of an enabled run's recording), and `process.stdin.isTTY`
 * even builds a stream. On POSIX a terminal is a character device, and the
 * one character device a CLI's stdio is otherwise commonly attached to is
 * `/dev/null`; so: a character device that is not `/dev/null` (`/dev/zero`
 * as stdin would count — nobody runs a CLI that way). `node:fs` is loaded in
 * every Node process already. On Windows, where consoles and `NUL` are not
 * told apart this way, `tty.isatty()`. Never throws: a closed or odd
 * descriptor is not a terminal.
 */
export function isTerminal(fd: 0 | 1 | 2): boolean {
  try {
    if (process.platform === 'win32') return builtin('node:tty').isatty(fd);
    const { fstatSync, statSync } = builtin('node:fs');
    const stats = fstatSync(fd);
    if (!stats.isCharacterDevice()) return false;
    devNullDevice ??= statSync('/dev/null').rdev;
    return stats.rdev !== devNullDevice;
  } catch {
    return false;
  }
}
