// Runs a Node script on a real pseudo-terminal, as a person at a terminal would,
// with util-linux `script` (part of every Debian base system; no native npm module).
import { spawn, spawnSync } from 'node:child_process';

const quote = (word) => `'${String(word).replaceAll("'", "'\\''")}'`;

/** Whether `script` is there; the tests that need a terminal say so plainly when it is not. */
export function hasScript() {
  return spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Runs `node <script> <args>` with stdin, stdout and stderr on a pseudo-terminal.
 * `redirect` is appended to the shell command to take some of them off it
 * (`' > out.txt'` makes stdout a file, `' | cat'` a pipe). What reaches the
 * terminal comes back as `output`, with the terminal's CRLF made LF.
 * @returns {Promise<{ code: number | null, output: string }>}
 */
export function runInTerminal(script, args = [], { env, redirect = '', timeoutMs = 20_000 } = {}) {
  const command = [process.execPath, script, ...args].map(quote).join(' ') + redirect;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const killer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`script ${command} did not exit within ${timeoutMs} ms\noutput: ${output}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, output: output.replaceAll('\r\n', '\n') });
    });
  });
}
