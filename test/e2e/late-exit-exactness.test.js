// Exactly once, end to end, for CLIs whose actions end the process late: the commander fixture
// test/fixtures/late-exit-cli.js (actions that return without their promise and call
// process.exit(n) or set process.exitCode 150 ms later, one of them colon-named) run 10 and 100
// times under inline and under background delivery, through the real gateway collector into a
// real Prometheus. Every (delivery, runs) pair has its own channel, so each is its own set of
// series; each must hold exactly the runs made, with each run's real exit code, no more and no
// fewer. Inline delivery is the interesting one: a late process.exit() comes while the inline
// send may be in flight, and the event must be sent or handed to the sender, never both.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT } from './harness/collector.js';
import { Expected, byKey } from './harness/expect.js';
import { runPool, runProcess, waitFor } from './harness/process.js';
import { spoolDrained, startGatewayScene, stopSender } from './harness/gateway-scene.js';

const CLI = join(ROOT, 'test', 'fixtures', 'late-exit-cli.js');
const TOKEN = 'late-exit-e2e-token';
const KEY_LABELS = ['cli_command', 'cli_subcommand', 'cli_outcome', 'process_exit_code'];

/** What each fixture command does to the process, and the labels its one event must carry. */
const CASES = [
  { args: ['exit-later'], exit: 1, labels: { cli_command: 'exit-later', cli_outcome: 'error', process_exit_code: '1' } },
  { args: ['code-later'], exit: 4, labels: { cli_command: 'code-later', cli_outcome: 'error', process_exit_code: '4' } },
  { args: ['zero-later'], exit: 0, labels: { cli_command: 'zero-later', cli_outcome: 'ok', process_exit_code: '0' } },
  { args: ['db:migrate'], exit: 3, labels: { cli_command: 'db', cli_subcommand: 'migrate', cli_outcome: 'error', process_exit_code: '3' } },
];

describe('late-exit actions, inline and background, 10 and 100 runs, through the gateway into Prometheus', () => {
  let dir;
  let prom;
  let collector;
  let scene;
  before(async () => {
    scene = await startGatewayScene({ prefix: 'cmdtel-late-exit-e2e-', token: TOKEN });
    ({ dir, prom, collector } = scene);
  });
  after(() => scene?.stop());

  for (const delivery of ['inline', 'background']) {
    for (const runs of [10, 100]) {
      test(`${delivery} delivery, ${runs} runs: each counted once with its real exit code`, { timeout: 5 * 60_000 }, async (t) => {
        const channel = `${delivery}-${runs}`;
        const configDir = join(dir, channel);
        const baseEnv = Object.fromEntries(
          Object.entries(process.env).filter(([key]) => !key.startsWith('LATE_') && !key.startsWith('OTEL_') && key !== 'DO_NOT_TRACK' && key !== 'CI'),
        );
        const env = {
          ...baseEnv,
          LATE_TELEMETRY_ENABLED: '1',
          LATE_TELEMETRY_URL: collector.otlpUrl,
          LATE_TELEMETRY_TOKEN: TOKEN,
          LATE_TELEMETRY_DELIVERY: delivery,
          LATE_CONFIG_DIR: configDir,
          LATE_CHANNEL: channel,
        };
        const expected = new Expected(KEY_LABELS);
        const plan = Array.from({ length: runs }, (_, i) => CASES[i % CASES.length]);
        const started = Date.now();
        await runPool(
          plan.map((c) => async () => {
            const result = await runProcess(process.execPath, [CLI, ...c.args], { env, cwd: ROOT, timeoutMs: 60_000 });
            assert.equal(result.code, c.exit, `late ${c.args.join(' ')} exited ${result.code}:\n${result.stderr}`);
            expected.add(c.labels, 0);
          }),
          runs > 10 ? 10 : 1,
        );
        t.diagnostic(`${runs} runs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        assert.equal(expected.total(), runs);

        const selector = `{service_name="late", cli_channel="${channel}"}`;
        const by = `sum by (${KEY_LABELS.join(', ')})`;
        const want = expected.invocations();
        const counted = async () => byKey(await prom.query(`${by} (cli_command_invocations_total${selector})`), KEY_LABELS);
        await waitFor(async () => JSON.stringify(await counted()) === JSON.stringify(want), {
          timeoutMs: 60_000,
          intervalMs: 500,
          what: `Prometheus to count the ${runs} ${delivery} runs`,
        }).catch(async (error) => {
          assert.deepEqual(await counted(), want, error.message);
          throw error;
        });
        // Only what is still in the spool could add to the count: wait until nothing is left to
        // send (bounded), end the idle sender, give the gateway two flush intervals, and count again.
        const spool = join(configDir, 'telemetry-spool');
        await waitFor(() => spoolDrained(spool), { timeoutMs: 60_000, what: 'the spool to hold nothing left to send' });
        stopSender(spool);
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        const got = await counted();
        assert.deepEqual(got, want, 'no run counted twice, none lost');
        const histogram = byKey(await prom.query(`${by} (cli_command_duration_seconds_count${selector})`), KEY_LABELS);
        assert.deepEqual(histogram, expected.counts(), 'histogram counts equal the runs');
        const [total] = await prom.query(`sum(cli_command_invocations_total${selector})`);
        assert.equal(total.value, runs);
        const [fast] = await prom.query(`sum(cli_command_duration_seconds_bucket{service_name="late", cli_channel="${channel}", le="0.1"})`);
        assert.equal(fast?.value ?? 0, 0, 'every duration covers the 150 ms of late work');
        for (const [key, n] of Object.entries(got)) t.diagnostic(`${key}: ${n}`);
      });
    }
  }
});
