// Runs a Node script as a real child process and reports how it ended.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Variables that would switch telemetry on or off behind a test's back. */
const AMBIENT = /^(DO_NOT_TRACK|OTEL_.*|CI|TRACEPARENT|[A-Z0-9_]+_TELEMETRY_[A-Z_]+|[A-Z0-9_]+_CHANNEL|[A-Z0-9_]+_CONFIG_DIR)$/;

/** process.env without anything telemetry-related, plus `extra`. */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) if (!AMBIENT.test(name)) env[name] = value;
  return { ...env, ...extra };
}

/**
 * @param {string} script
 * @param {string[]} args
 * @param {{ env?: Record<string,string>, timeoutMs?: number, cwd?: string, nodeArgs?: string[] }} options
 * @returns {Promise<{ code: number | null, signal: string | null, stdout: string, stderr: string, wallMs: number }>}
 */
export function runNode(script, args = [], { env = cleanEnv(), timeoutMs = 20_000, cwd, nodeArgs = [] } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const killer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not exit within ${timeoutMs} ms\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, wallMs: performance.now() - started });
    });
  });
}
