// `npm run demo`: runs the notes CLI about 30 times with mixed commands and
// outcomes into a temporary file sink, then shows `cmdtel report` on it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, 'cli.js');
const report = join(here, '..', '..', 'dist', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'cmdtel-demo-'));
const sink = join(work, 'telemetry.jsonl');

const env = {
  ...process.env,
  NOTES_HOME: join(work, 'home'),
  NOTES_CONFIG_DIR: join(work, 'config'),
  NOTES_TELEMETRY_FILE: sink,
  NOTES_CHANNEL: 'demo',
  NOTES_SYNC_DELAY_MS: '30',
};
for (const name of ['NOTES_TELEMETRY_DISABLED', 'DO_NOT_TRACK', 'OTEL_SDK_DISABLED', 'NOTES_TELEMETRY_ENABLED']) delete env[name];

const runs = [
  ...Array.from({ length: 8 }, (_, i) => ['note', 'add', `groceries list ${i}`]),
  ['note', 'add'],
  ['note', 'add'],
  ...Array.from({ length: 6 }, () => ['note', 'list']),
  ['note', 'rm', 'no-such-id'],
  ['note', 'rm', 'another-missing-id'],
  ...Array.from({ length: 5 }, () => ['sync', 'push', { NOTES_TOKEN: 'demo-token' }]),
  ['sync', 'push'],
  ...Array.from({ length: 4 }, () => ['sync', 'pull', { NOTES_TOKEN: 'demo-token', NOTES_SYNC_DELAY_MS: '120' }]),
  ['note', 'frobnicate'],
  ['launch-rockets'],
];

console.log(`cmdtel demo: ${runs.length} runs of the notes CLI, telemetry to ${sink}\n`);
for (const run of runs) {
  const extraEnv = typeof run.at(-1) === 'object' ? run.pop() : {};
  const result = spawnSync(process.execPath, [cli, ...run], { env: { ...env, ...extraEnv }, encoding: 'utf8' });
  console.log(`  notes ${run.join(' ').padEnd(28)} exit ${result.status}`);
}

console.log(`\n$ cmdtel report --file ${sink}\n`);
const shown = spawnSync(process.execPath, [report, 'report', '--file', sink], { stdio: 'inherit' });
rmSync(work, { recursive: true, force: true });
process.exitCode = shown.status ?? 1;
