// A published CLI end to end: knex 3.3.0's CLI from the npm registry, instrumented as
// docs/integrations.md shows (the real-world project of test/realworld/, built by its setup.mjs
// when missing or built from another dist/), run under inline and under background delivery
// through the real gateway collector into a real Prometheus. Its actions return without their
// work and end the process with process.exit() later; a colon-named command is a command path.
// Every delivery has its own channel; each must hold exactly the runs made, with each run's real
// command path and exit code, no more and no fewer.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { instrumentedBin, projectDir } from '../realworld/project.js';
import { ROOT } from './harness/collector.js';
import { Expected, byKey } from './harness/expect.js';
import { runPool, runProcess, waitFor } from './harness/process.js';
import { spoolDrained, startGatewayScene, stopSender } from './harness/gateway-scene.js';

const TOKEN = 'realworld-e2e-token';
const KEY_LABELS = ['cli_command', 'cli_subcommand', 'cli_outcome', 'process_exit_code', 'error_type'];
const RUNS_PER_CASE = 5;
const CASES = [
  { args: ['migrate:make', 'add_users'], exit: 0, labels: { cli_command: 'migrate', cli_subcommand: 'make', cli_outcome: 'ok', process_exit_code: '0' } },
  {
    args: ['migrate:latest'],
    exit: 1,
    labels: { cli_command: 'migrate', cli_subcommand: 'latest', cli_outcome: 'error', process_exit_code: '1', error_type: 'unknown' },
  },
  { args: ['bogus'], exit: 1, labels: { cli_command: '_unknown', cli_outcome: 'error', process_exit_code: '1', error_type: 'unknown_command' } },
  { args: ['--version'], exit: 0, labels: { cli_command: '_root', cli_outcome: 'ok', process_exit_code: '0' } },
];

/** The project's cmdtel must be this checkout's build, else it is rebuilt (about 1-2 minutes). */
function ensureProject() {
  const { exports } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const installed = join(projectDir, 'node_modules', 'cmdtel');
  const same = [exports['.'].default, exports['./commander'].default].every(
    (file) => existsSync(join(installed, file)) && readFileSync(join(installed, file), 'utf8') === readFileSync(join(ROOT, file), 'utf8'),
  );
  if (!same || !existsSync(instrumentedBin('knex')))
    execFileSync(process.execPath, [join(ROOT, 'test', 'realworld', 'setup.mjs')], { stdio: 'inherit', timeout: 300_000 });
}

describe('knex 3.3.0 (published) through the gateway into Prometheus, inline and background', () => {
  let dir;
  let prom;
  let collector;
  let scene;
  before(async () => {
    ensureProject();
    scene = await startGatewayScene({ prefix: 'cmdtel-realworld-e2e-', token: TOKEN });
    ({ dir, prom, collector } = scene);
  });
  after(() => scene?.stop());

  for (const delivery of ['inline', 'background']) {
    test(`${delivery} delivery: ${RUNS_PER_CASE * CASES.length} runs, each counted once with its command path and exit code`, {
      timeout: 5 * 60_000,
    }, async (t) => {
      const channel = `realworld-${delivery}`;
      const configDir = join(dir, channel);
      // The knex project of every run (inside the real-world project, where knex finds its local
      // install): PostgreSQL on a loopback port where nothing listens.
      const work = join(projectDir, 'work', `e2e-${delivery}`);
      rmSync(work, { recursive: true, force: true });
      mkdirSync(join(work, 'migrations'), { recursive: true });
      writeFileSync(
        join(work, 'knexfile.js'),
        "module.exports = { client: 'pg', connection: { host: '127.0.0.1', port: 9, user: 'u', database: 'd' }, pool: { min: 0, max: 1 } };\n",
      );
      const baseEnv = Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !key.startsWith('KNEX_') && !key.startsWith('OTEL_') && key !== 'DO_NOT_TRACK' && key !== 'CI'),
      );
      const env = {
        ...baseEnv,
        KNEX_TELEMETRY_ENABLED: '1',
        KNEX_TELEMETRY_URL: collector.otlpUrl,
        KNEX_TELEMETRY_TOKEN: TOKEN,
        KNEX_TELEMETRY_DELIVERY: delivery,
        KNEX_CONFIG_DIR: configDir,
        KNEX_CHANNEL: channel,
      };
      const expected = new Expected(KEY_LABELS);
      const plan = CASES.flatMap((c) => Array.from({ length: RUNS_PER_CASE }, () => c));
      const started = Date.now();
      await runPool(
        plan.map((c) => async () => {
          const result = await runProcess(process.execPath, [instrumentedBin('knex'), ...c.args], { env, cwd: work, timeoutMs: 60_000 });
          assert.equal(result.code, c.exit, `knex ${c.args.join(' ')} exited ${result.code}:\n${result.stderr}`);
          expected.add(c.labels, 0);
        }),
        4,
      );
      t.diagnostic(`${plan.length} runs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      assert.equal(expected.total(), plan.length);

      const selector = `{service_name="knex", cli_channel="${channel}"}`;
      const by = `sum by (${KEY_LABELS.join(', ')})`;
      const want = expected.invocations();
      const counted = async () => byKey(await prom.query(`${by} (cli_command_invocations_total${selector})`), KEY_LABELS);
      await waitFor(async () => JSON.stringify(await counted()) === JSON.stringify(want), {
        timeoutMs: 60_000,
        intervalMs: 500,
        what: `Prometheus to count the ${plan.length} ${delivery} runs`,
      }).catch(async (error) => {
        assert.deepEqual(await counted(), want, error.message);
        throw error;
      });
      // Only what is still in the spool could add to the count: wait until nothing is left to send
      // (bounded), end the idle sender, give the gateway two flush intervals, and count again.
      const spool = join(configDir, 'telemetry-spool');
      await waitFor(() => spoolDrained(spool), { timeoutMs: 60_000, what: 'the spool to hold nothing left to send' });
      stopSender(spool);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const got = await counted();
      assert.deepEqual(got, want, 'no run counted twice, none lost');
      const histogram = byKey(await prom.query(`${by} (cli_command_duration_seconds_count${selector})`), KEY_LABELS);
      assert.deepEqual(histogram, expected.counts(), 'histogram counts equal the runs');
      const [total] = await prom.query(`sum(cli_command_invocations_total${selector})`);
      assert.equal(total.value, plan.length);
      for (const [key, n] of Object.entries(got)) t.diagnostic(`${key}: ${n}`);
    });
  }
});
