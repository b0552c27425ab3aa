// Whatever the endpoint does, a command waits at most the timeout (+250 ms)
// for telemetry, keeps its exit code, and nothing keeps the process alive.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { refusedPort, startOtlpListener } from '../helpers/otlp-listener.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';
import { fixture, tempDir } from '../helpers/paths.js';

const cli = fixture('telemetry-cli.js');
const TIMEOUT_MS = 1500;
const ALLOWANCE_MS = 250;

async function baselineMs(t) {
  const runs = [];
  for (let i = 0; i < 3; i += 1) runs.push((await runNode(cli, ['doc', '--exit', '4'], { env: cleanEnv({ FIXTURE_CONFIG_DIR: tempDir(t) }) })).wallMs);
  return runs.sort((a, b) => a - b)[1];
}

async function runWithEndpoint(t, url) {
  const timing = join(tempDir(t), 'exit-timing');
  const result = await runNode(cli, ['doc', 'create', '--exit', '4', '--error-class', 'api'], {
    env: cleanEnv({
      FIXTURE_EXIT_TIMING: timing,
      FIXTURE_CONFIG_DIR: tempDir(t),
      FIXTURE_TELEMETRY_URL: url,
      FIXTURE_TELEMETRY_ENABLED: '1',
      FIXTURE_TELEMETRY_DELIVERY: 'inline',
      FIXTURE_TELEMETRY_TIMEOUT_MS: String(TIMEOUT_MS),
    }),
    timeoutMs: 15_000,
  });
  return { ...result, exitWaitMs: Number(readFileSync(timing, 'utf8')) };
}

const endpoints = {
  'never answers': async (t) => {
    const listener = await startOtlpListener({ mode: 'hang' });
    t.after(() => listener.close());
    return { url: listener.url, reached: () => listener.requests.length };
  },
  'refuses connections': async () => {
    const port = await refusedPort();
    return { url: `http://127.0.0.1:${port}`, reached: () => 0 };
  },
  'answers 503': async (t) => {
    const listener = await startOtlpListener({ mode: 'unavailable' });
    t.after(() => listener.close());
    return { url: listener.url, reached: () => listener.requests.length };
  },
};

for (const [behaviour, start] of Object.entries(endpoints)) {
  test(`an endpoint that ${behaviour}: exit within timeout + ${ALLOWANCE_MS} ms, exit code unchanged`, async (t) => {
    const endpoint = await start(t);
    const baseline = await baselineMs(t);
    const result = await runWithEndpoint(t, endpoint.url);
    // Two views of the added time: inside the child, from the end of the command's work to the
    // moment nothing keeps it alive (what the user waits for; immune to other tests' load), and
    // the whole process's wall time against a run with telemetry off (reported, load-sensitive).
    const added = result.exitWaitMs;
    t.diagnostic(`exit wait ${added.toFixed(0)} ms; wall ${result.wallMs.toFixed(0)} ms vs ${baseline.toFixed(0)} ms off; requests seen ${endpoint.reached()}`);
    assert.equal(result.code, 4, result.stderr);
    assert.equal(result.signal, null);
    assert.equal(result.stderr, '', "silent: delivery problems are not the user's problem");
    assert.ok(added <= TIMEOUT_MS + ALLOWANCE_MS, `added ${added.toFixed(0)} ms > ${TIMEOUT_MS + ALLOWANCE_MS} ms`);
  });
}
