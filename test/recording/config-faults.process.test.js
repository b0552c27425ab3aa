// Bad configuration gets one clear warning naming the variable, never its
// value, at creation: OTLP headers no HTTP request can carry, and bad
// on/off switches, whose values used to be echoed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startOtlpListener } from '../helpers/otlp-listener.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';
import { fixture, tempDir } from '../helpers/paths.js';

const cli = fixture('telemetry-cli.js');
const SENTINEL = 'sentinel-cfg-91';

for (const [label, value] of [
  ['a control character', `x-key=${SENTINEL}%01`],
  ['a character beyond Latin-1', `x-key=${SENTINEL}%E2%82%AC`],
  ['a DEL character', `x-key=${SENTINEL}%7F`],
]) {
  test(`OTEL_EXPORTER_OTLP_HEADERS with ${label}: one warning by name, no extra headers, the event still delivered`, async (t) => {
    const listener = await startOtlpListener();
    t.after(() => listener.close());
    const result = await runNode(cli, ['doc'], {
      env: cleanEnv({
        FIXTURE_CONFIG_DIR: tempDir(t),
        OTEL_EXPORTER_OTLP_ENDPOINT: listener.url,
        OTEL_EXPORTER_OTLP_HEADERS: value,
        FIXTURE_TELEMETRY_ENABLED: '1',
        FIXTURE_TELEMETRY_DELIVERY: 'inline',
      }),
    });
    t.diagnostic(`stderr ${JSON.stringify(result.stderr)}; requests ${listener.requests.length}`);
    assert.equal(result.code, 0);
    assert.match(result.stderr, /^cmdtel: OTEL_EXPORTER_OTLP_HEADERS: [^\n]*\n$/);
    assert.ok(!result.stderr.includes(SENTINEL), 'the value is not echoed');
    assert.equal(listener.requests.length, 1, 'delivered without the unusable headers');
    assert.equal(listener.requests[0].headers['x-key'], undefined);
  });
}

for (const variable of ['FIXTURE_TELEMETRY_DEBUG', 'FIXTURE_TELEMETRY_ENABLED']) {
  test(`a bad ${variable}: one warning naming it, its value never echoed`, async (t) => {
    const result = await runNode(cli, ['doc'], {
      env: cleanEnv({ FIXTURE_CONFIG_DIR: tempDir(t), FIXTURE_TELEMETRY_FILE: `${tempDir(t)}/events.jsonl`, [variable]: `${SENTINEL} "quoted"` }),
    });
    t.diagnostic(`stderr ${JSON.stringify(result.stderr)}`);
    assert.equal(result.code, 0);
    assert.match(result.stderr, new RegExp(`^cmdtel: ${variable}: [^\\n]*\\n$`));
    assert.ok(!result.stderr.includes(SENTINEL), 'the value is not echoed');
  });
}
