// Runs one scenario of a published CLI twice, as published and as instrumented, in the same
// freshly prepared working directory, and returns both results and the instrumented run's
// file-sink events.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runNode } from '../helpers/run-node.js';
import { instrumentedBin, plainBin, projectDir, runEnv } from './project.js';

/**
 * The only text that differs between two runs for reasons of time: the creation timestamp that
 * knex (`20261203091003_name.js`) and sequelize-cli (`20261203091003-name.js`) put in the names of
 * the files they generate. Nothing else is normalised.
 */
export function normalise(text) {
  return text.replace(/\b\d{14}(?=[-_])/g, '<timestamp>');
}

/**
 * @param {string} cli key of CLIS
 * @param {{ name: string, args: string[], prepare?: (dir: string) => void }} scenario
 * @param {string} envPrefix the CLI's variable prefix (`KNEX` → KNEX_TELEMETRY_FILE)
 */
export async function runBoth(cli, scenario, envPrefix) {
  const dir = join(projectDir, 'work', cli);
  const sinkFile = join(projectDir, 'events', `${cli}.jsonl`);
  const env = runEnv({ [`${envPrefix}_TELEMETRY_FILE`]: sinkFile });
  const results = {};
  for (const [variant, bin] of [
    ['plain', plainBin(cli)],
    ['instrumented', instrumentedBin(cli)],
  ]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    rmSync(sinkFile, { force: true });
    mkdirSync(join(projectDir, 'events'), { recursive: true });
    scenario.prepare?.(dir);
    const result = await runNode(bin, scenario.args, { env, cwd: dir, timeoutMs: 60_000 });
    results[variant] = {
      ...result,
      events: existsSync(sinkFile)
        ? readFileSync(sinkFile, 'utf8')
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line))
        : [],
    };
  }
  assert.equal(results.plain.events.length, 0, 'the published CLI records nothing');
  return results;
}

/** Exit code and output identical, then exactly one event with the expected fields. */
export function assertSameRunOneEvent(results, expected, version) {
  const { plain, instrumented } = results;
  assert.equal(instrumented.signal, null);
  assert.equal(instrumented.code, plain.code, `exit code (plain stderr: ${plain.stderr.slice(0, 300)})`);
  assert.equal(normalise(instrumented.stdout), normalise(plain.stdout), 'stdout');
  assert.equal(normalise(instrumented.stderr), normalise(plain.stderr), 'stderr');
  assert.equal(instrumented.events.length, 1, `one event, got ${JSON.stringify(instrumented.events)}`);
  const [event] = instrumented.events;
  const want = { subcommand: '', err_class: undefined, cli_version: version, exit_code: plain.code, outcome: plain.code === 0 ? 'ok' : 'error', ...expected };
  for (const [key, value] of Object.entries(want)) assert.equal(event[key], value, `event.${key} in ${JSON.stringify(event)}`);
  return event;
}
