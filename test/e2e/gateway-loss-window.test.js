// The gateway's loss window, measured with the real collector and Prometheus:
// accepted invocations (answered 200) that a gateway had not yet written when
// it was killed (SIGKILL: an OOM kill, a lost node) versus stopped (SIGTERM: a
// deploy). The interval processor holds accepted points for up to one flush
// interval (plus the batch timeout), so a kill loses at most that much; a
// graceful stop loses nothing. The figures go next to the deploy advice in
// docs/collector.md.
//
// The gateway runs with the flush interval of collector-config/gateway-prometheus.yaml as shipped;
// CMDTEL_LOSS_WINDOW_INTERVAL (e.g. 15s) measures another one for comparison.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { CONFIG_DIR, startCollector } from './harness/collector.js';
import { cliRequest, postMetrics } from './harness/otlp.js';
import { startPrometheus } from './harness/prometheus.js';

const TOKEN = 'loss-window-token';
const WORKERS = 4;
const PAUSE_MS = 50; // per worker: about 80 requests (invocations) per second in all
const BATCH_TIMEOUT_MS = 200;

/** The shipped default, read from the config itself so the test measures what is deployed. */
function shippedIntervalMs() {
  const text = readFileSync(join(CONFIG_DIR, 'gateway.yaml'), 'utf8'); // the shared pipeline holds the interval
  const [, value, unit] = /CMDTEL_FLUSH_INTERVAL:-([0-9]+)(ms|s)\}/.exec(text);
  return Number(value) * (unit === 's' ? 1000 : 1);
}

const override = process.env.CMDTEL_LOSS_WINDOW_INTERVAL;
const intervalMs = override === undefined ? shippedIntervalMs() : Number.parseFloat(override) * (override.endsWith('ms') ? 1 : 1000);

/** Sends one-invocation requests from WORKERS loops until `stop()`; counts those answered 200. */
function load(collector, serviceName) {
  let running = true;
  let accepted = 0;
  let failed = 0;
  const worker = async () => {
    while (running) {
      const now = Date.now();
      const body = cliRequest({
        serviceName,
        startMs: now - 20,
        endMs: now,
        invocations: [
          {
            attributes: { 'cli.command': 'load', 'cli.outcome': 'ok', 'process.exit.code': 0, 'os.type': 'linux', 'service.version': '1.0.0' },
            durationSeconds: 0.02,
          },
        ],
      });
      try {
        const { status } = await postMetrics(collector.otlpUrl, body, { token: TOKEN, timeoutMs: 2_000 });
        if (status === 200) accepted += 1;
        else failed += 1;
      } catch {
        failed += 1;
      }
      await sleep(PAUSE_MS);
    }
  };
  const workers = Array.from({ length: WORKERS }, worker);
  return {
    /** Stops sending; resolves, once the requests in flight have their answers, with how many were answered 200. */
    async stop() {
      running = false;
      await Promise.all(workers);
      return accepted;
    },
    failed: () => failed,
  };
}

/** Prometheus' total for the service once it stops changing (bounded wait). */
async function settledTotal(prom, serviceName) {
  let last = -1;
  for (let i = 0; i < 20; i += 1) {
    const rows = await prom.query(`sum(cli_command_invocations_total{service_name="${serviceName}"})`);
    const value = rows[0]?.value ?? 0;
    if (value === last) return value;
    last = value;
    await sleep(1_500);
  }
  return last;
}

describe(`gateway loss window (flush interval ${intervalMs} ms, batch timeout ${BATCH_TIMEOUT_MS} ms)`, () => {
  let prom;
  before(async () => {
    prom = await startPrometheus();
  });
  after(async () => {
    await prom?.stop();
  });

  for (const [how, signal] of [
    ['killed (SIGKILL) mid-interval under load: loses at most one flush interval + batch timeout of accepted invocations', 'SIGKILL'],
    ['stopped (SIGTERM) mid-interval under load: loses nothing', 'SIGTERM'],
  ]) {
    test(how, async (t) => {
      const serviceName = `window-${signal.toLowerCase()}`;
      const collector = await startCollector({
        config: 'gateway-prometheus',
        env: {
          CMDTEL_COLLECTOR_TOKENS: `[${TOKEN}]`,
          CMDTEL_PROMETHEUS_RW_URL: prom.remoteWriteUrl,
          ...(override === undefined ? {} : { CMDTEL_FLUSH_INTERVAL: override }),
        },
      });
      try {
        const traffic = load(collector, serviceName);
        // Long enough for at least two flushes, and ending at a point unrelated to the flush phase.
        await sleep(2 * intervalMs + intervalMs / 2 + 300);
        let accepted;
        if (signal === 'SIGKILL') {
          process.kill(collector.pid, 'SIGKILL');
          accepted = await traffic.stop();
        } else {
          // Under load, as in a deploy without a drain: requests keep coming while the gateway stops.
          await collector.stop(30_000);
          accepted = await traffic.stop();
        }
        const stored = await settledTotal(prom, serviceName);
        const lost = accepted - stored;
        const rate = accepted / ((2 * intervalMs + intervalMs / 2 + 300) / 1000);
        t.diagnostic(
          `${signal}: accepted ${accepted}, in Prometheus ${stored}, lost ${lost} (${((lost / rate) * 1000).toFixed(0)} ms of traffic at ${rate.toFixed(0)}/s; bound ${intervalMs + BATCH_TIMEOUT_MS} ms)`,
        );
        assert.ok(stored > 0, 'flushes happened before the stop');
        assert.ok(lost >= 0, `Prometheus holds more than was accepted: ${stored} > ${accepted}`);
        if (signal === 'SIGTERM') assert.equal(lost, 0, 'a graceful stop writes the last totals');
        // A kill can lose requests accepted in the last interval, plus the serializing batch, plus one in-flight per worker.
        else assert.ok(lost <= Math.ceil(rate * ((intervalMs + BATCH_TIMEOUT_MS) / 1000)) + WORKERS, `lost ${lost}`);
      } finally {
        await collector.stop();
      }
    });
  }
});
