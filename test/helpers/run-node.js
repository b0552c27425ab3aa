// Runs a Node script as a real child process and reports how it ended.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from './paths.js';

/** Variables that would switch telemetry on or off behind a test's back. */
const AMBIENT = /^(DO_NOT_TRACK|OTEL_.*|CI|TRACEPARENT|[A-Z0-9_]+_TELEMETRY_[A-Z_]+|[A-Z0-9_]+_CHANNEL|[A-Z0-9_]+_CONFIG_DIR)$/;

/**
 * Variables that tell who runs a command (an AI agent's markers, every CI
 * vendor's and the generic CI ones): a test run inside an agent or a CI job
 * must see the same caller as one at a desk, unless the test sets them.
 */
const AGENT_MARKERS =
  /^(AI_AGENT|AGENT|CLAUDECODE|CLAUDE_CODE|CURSOR_AGENT|GEMINI_CLI|CODEX_SANDBOX|CODEX_THREAD_ID|OPENCODE|COPILOT_CLI|COPILOT_AGENT|COPILOT_AGENT_SESSION_ID|GOOSE_TERMINAL)$/;
const CI_VARIABLES = new Set(['BUILD_ID', 'BUILD_NUMBER', 'CI_APP_ID', 'CI_BUILD_ID', 'CI_BUILD_NUMBER', 'CI_NAME', 'CONTINUOUS_INTEGRATION', 'RUN_ID']);
for (const vendor of JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'ci-info', 'vendors.json'), 'utf8'))) {
  for (const condition of [vendor.env].flat()) {
    if (typeof condition === 'string') CI_VARIABLES.add(condition);
    else if ('env' in condition) CI_VARIABLES.add(condition.env);
    else if ('any' in condition) for (const name of condition.any) CI_VARIABLES.add(name);
    else for (const name of Object.keys(condition)) CI_VARIABLES.add(name);
  }
}
// NODE is one of them (Heroku: it contains a path); it never decides alone, and node needs no NODE.
const isAmbient = (name) => AMBIENT.test(name) || AGENT_MARKERS.test(name) || CI_VARIABLES.has(name);

/** process.env without anything telemetry-related, plus `extra`. */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) if (!isAmbient(name)) env[name] = value;
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
