// Who runs the command, end to end: the demo CLI `notes` run by "people" (on a real
// pseudo-terminal), scripts (no terminal), AI agents and CI services (their real environment
// markers), each process sending its own OTLP request through the real collector
// (gateway-prometheus.yaml) into a real Prometheus. Prometheus must hold exactly the runs per
// cli_caller_type / cli_caller_name, with no version in any value; and the dashboard's
// "Share of runs by caller" panel and its Caller filter, run as Grafana would, must say the same.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadParams } from '../../alerts/render.mjs';
import { RAW_DASHBOARD_FILE } from '../../dashboards/render.mjs';
import { cleanEnv } from '../helpers/run-node.js';
import { hasScript, runInTerminal } from '../helpers/terminal.js';
import { ROOT } from './harness/collector.js';
import { runPool, runProcess, waitFor } from './harness/process.js';
import { startGatewayScene } from './harness/gateway-scene.js';
import { interpolate, panelInterval } from './grafana/template.js';
import { prometheusApi } from './grafana/prometheus-api.js';

const CLI = join(ROOT, 'examples', 'notes', 'cli.js');
const TOKEN = 'caller-e2e-token';
const CONCURRENCY = 8;

/** Each kind of caller: how it runs the CLI, how many times, and the labels its runs must get. */
const CALLERS = [
  { runs: 12, how: 'process', env: {}, want: 'script' },
  { runs: 6, how: 'terminal', env: {}, want: 'person' },
  { runs: 5, how: 'process', env: { AI_AGENT: 'claude-code_2.0.31_agent', CLAUDECODE: '1' }, want: 'agent claude-code' },
  // Another release of the same agent: the same series, not a new one.
  { runs: 3, how: 'process', env: { AI_AGENT: 'claude-code_1.0.128_agent' }, want: 'agent claude-code' },
  { runs: 4, how: 'process', env: { CODEX_THREAD_ID: '0199a3b2-5c4d-7e8f-9a0b-1c2d3e4f5a6b' }, want: 'agent codex' },
  // A cloud agent working inside a CI job counts as the agent.
  { runs: 3, how: 'process', env: { COPILOT_AGENT_SESSION_ID: 'abc', GITHUB_ACTIONS: 'true', CI: 'true' }, want: 'agent github-copilot' },
  { runs: 2, how: 'process', env: { AI_AGENT: 'brand-new-agent@2.1' }, want: 'agent other' },
  { runs: 7, how: 'process', env: { GITHUB_ACTIONS: 'true', CI: 'true' }, want: 'ci github-actions' },
  // A CI runner that gives its jobs a terminal is still CI.
  { runs: 4, how: 'terminal', env: { GITLAB_CI: 'true', CI: 'true' }, want: 'ci gitlab' },
  { runs: 3, how: 'process', env: { CI: '1' }, want: 'ci other' },
];
const TOTAL = CALLERS.reduce((sum, c) => sum + c.runs, 0);
const EXPECTED = {};
for (const caller of CALLERS) EXPECTED[caller.want] = (EXPECTED[caller.want] ?? 0) + caller.runs;

const labelKey = (metric) => `${metric.cli_caller_type ?? ''} ${metric.cli_caller_name ?? ''}`.trim();

describe('who runs the command: exact counts per kind through the collector into Prometheus', () => {
  let dir;
  let prom;
  let collector;
  let scene;
  before(async () => {
    assert.ok(hasScript(), 'this test needs `script` (util-linux) for the runs at a terminal');
    scene = await startGatewayScene({ prefix: 'cmdtel-caller-e2e-', token: TOKEN });
    ({ dir, prom, collector } = scene);
  });
  after(() => scene?.stop());

  test('Prometheus and the dashboard panel count each kind of caller exactly', { timeout: 5 * 60_000 }, async (t) => {
    const t0 = Date.now();
    const tasks = CALLERS.flatMap((caller) =>
      Array.from({ length: caller.runs }, (_, i) => async () => {
        const env = cleanEnv({
          NOTES_TELEMETRY_ENABLED: '1',
          NOTES_TELEMETRY_URL: collector.otlpUrl,
          NOTES_TELEMETRY_TOKEN: TOKEN,
          NOTES_TELEMETRY_DELIVERY: 'inline',
          NOTES_TELEMETRY_TIMEOUT_MS: '30000',
          NOTES_HOME: join(dir, 'home'),
          NOTES_CONFIG_DIR: join(dir, 'config'),
          ...caller.env,
        });
        // Every third run of a kind fails (note add without text: exit 2), so outcomes mix.
        const args = i % 3 === 2 ? ['note', 'add'] : ['note', 'list'];
        const exit = i % 3 === 2 ? 2 : 0;
        const result =
          caller.how === 'terminal'
            ? await runInTerminal(CLI, args, { env, timeoutMs: 60_000 })
            : await runProcess(process.execPath, [CLI, ...args], { env, timeoutMs: 60_000 });
        assert.equal(result.code, exit, `${caller.want}: notes ${args.join(' ')}\n${result.output ?? result.stderr}`);
      }),
    );
    await runPool(tasks, CONCURRENCY);

    const query = 'sum by (cli_caller_type, cli_caller_name) (cli_command_invocations_total{service_name="notes"})';
    const counts = async () => Object.fromEntries((await prom.query(query)).map((row) => [labelKey(row.metric), Number(row.value)]));
    let seen = {};
    await waitFor(
      async () => {
        seen = await counts();
        return JSON.stringify(Object.entries(seen).sort()) === JSON.stringify(Object.entries(EXPECTED).sort());
      },
      { timeoutMs: 30_000, intervalMs: 500, what: `the ${TOTAL} runs per caller in Prometheus` },
    ).catch((error) => {
      assert.deepEqual(seen, EXPECTED, error.message);
    });
    assert.deepEqual(seen, EXPECTED);
    for (const [kind, n] of Object.entries(seen)) t.diagnostic(`${kind}: ${n}`);
    const histogram = Object.fromEntries(
      (await prom.query(query.replace('cli_command_invocations_total', 'cli_command_duration_seconds_count'))).map((row) => [
        labelKey(row.metric),
        Number(row.value),
      ]),
    );
    assert.deepEqual(histogram, EXPECTED, 'the histogram carries the same dimension');
    const names = new Set(
      (await prom.query('count by (cli_caller_name) (cli_command_invocations_total)')).map((row) => row.metric.cli_caller_name).filter(Boolean),
    );
    for (const name of names) assert.match(name, /^[a-z][a-z-]*$/, `no version or free text in ${name}`);

    // The dashboard, as Grafana runs it over a range around the traffic: the raw one, whose queries
    // carry the exact count inline. The recorded dashboard's caller panel reads the recording rules;
    // test/e2e/dashboards.test.js loads those and checks the same panel there.
    const t1 = Date.now();
    const dashboard = JSON.parse(await readFile(RAW_DASHBOARD_FILE, 'utf8'));
    const defs = Object.fromEntries(dashboard.templating.list.map((v) => [v.name, v]));
    const variables = Object.fromEntries(
      ['service', 'command', 'channel', 'version', 'os', 'caller'].map((name) => [name, { ...defs[name], value: '$__all' }]),
    );
    variables.horizon = { value: loadParams().stateHorizon };
    const fromMs = (Math.floor(t0 / 60_000) * 60 - 60) * 1000;
    const toMs = (Math.ceil(t1 / 60_000) * 60 + 1) * 1000;
    const api = prometheusApi(prom.url);
    const run = async (title, vars = variables) => {
      const panel = dashboard.panels.find((p) => p.title === title);
      const { intervalMs } = panelInterval({ fromMs, toMs, maxDataPoints: 1000, minInterval: panel.interval });
      const expr = interpolate(panel.targets[0].expr, { fromMs, toMs, intervalMs, variables: vars });
      assert.doesNotMatch(expr, /\$\w/, `${title}: unsubstituted variable`);
      return api.instant(expr, toMs / 1000);
    };
    // The panel shows shares; waiting until the last flush reached the range end keeps this exact.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, toMs - Date.now() + 2_000)));
    const shares = Object.fromEntries((await run('Share of runs by caller')).map((row) => [labelKey(row.metric), row.value]));
    assert.deepEqual(Object.keys(shares).sort(), Object.keys(EXPECTED).sort());
    for (const [kind, n] of Object.entries(EXPECTED)) assert.ok(Math.abs(shares[kind] - n / TOTAL) < 1e-9, `${kind}: ${shares[kind]} vs ${n}/${TOTAL}`);
    t.diagnostic(
      `Share of runs by caller: ${JSON.stringify(Object.fromEntries(Object.entries(shares).map(([k, v]) => [k, `${(v * 100).toFixed(1)} % (${Math.round(v * TOTAL)}/${TOTAL})`])))}`,
    );

    // The Caller filter on the overview's Invocations stat.
    const ofTypes = (types) =>
      Object.entries(EXPECTED)
        .filter(([kind]) => types.includes(kind.split(' ')[0]))
        .reduce((sum, [, n]) => sum + n, 0);
    for (const selected of [['agent'], ['person', 'script'], ['ci']]) {
      const want = ofTypes(selected);
      const [row] = await run('Invocations', { ...variables, caller: { ...defs.caller, value: selected } });
      assert.equal(row?.value, want, `caller=${selected.join('|')}`);
    }
  });
});
