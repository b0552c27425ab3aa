// The public API under 1,000 random inputs (every JavaScript type, throwing
// getters and Proxies, a sentinel hidden in values that are not coarse
// tokens): nothing escapes start/end/shutdown, and no raw value is written to
// the file sink or sent to an OTLP endpoint.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startOtlpListener } from '../helpers/otlp-listener.js';
import { fixture, tempDir } from '../helpers/paths.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';

const cli = fixture('fuzz-cli.js');
const SEED = Number(process.env.CMDTEL_FUZZ_SEED ?? Date.now() % 2 ** 31);
const COUNT = 1000;

function check(t, result, sink, seed) {
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  t.diagnostic(`seed ${seed}: ${JSON.stringify(summary)}`);
  assert.equal(summary.inputs, COUNT);
  assert.equal(summary.escapedStart, 0);
  assert.equal(summary.escapedEnd, 0);
  assert.equal(summary.escapedShutdown, 0);
  assert.equal(summary.createEscaped, 0, 'createTelemetry throws only CmdtelOptionsError');
  assert.ok(!/sentinel/i.test(sink), `a raw value reached the sink (seed ${seed})`);
  assert.ok(!/sentinel/i.test(result.stderr), `a raw value reached stderr (seed ${seed})`);
}

test(`1,000 random inputs, file sink: 0 throws, 0 raw values written (seed from CMDTEL_FUZZ_SEED or the clock)`, async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'events.jsonl');
  const result = await runNode(cli, [], {
    env: cleanEnv({ FUZZ_SEED: String(SEED), FUZZ_COUNT: String(COUNT), FIXTURE_CONFIG_DIR: dir, FIXTURE_TELEMETRY_FILE: file }),
    timeoutMs: 60_000,
  });
  const written = readFileSync(file, 'utf8');
  check(t, result, written, SEED);
  assert.ok(written.split('\n').filter(Boolean).length >= COUNT, 'every started invocation written');
});

test('1,000 random inputs, inline OTLP: 0 throws, 0 raw values sent', async (t) => {
  const listener = await startOtlpListener();
  t.after(() => listener.close());
  const result = await runNode(cli, [], {
    env: cleanEnv({
      FUZZ_SEED: String(SEED + 1),
      FUZZ_COUNT: String(COUNT),
      FIXTURE_CONFIG_DIR: tempDir(t),
      FIXTURE_TELEMETRY_URL: listener.url,
      FIXTURE_TELEMETRY_ENABLED: '1',
      FIXTURE_TELEMETRY_DELIVERY: 'inline',
      FIXTURE_TELEMETRY_TIMEOUT_MS: '5000',
    }),
    timeoutMs: 60_000,
  });
  const sent = listener.requests.map((request) => request.body).join('\n');
  check(t, result, sent, SEED + 1);
  assert.ok(listener.requests.length >= 1, 'the batch was sent');
});
