// Start/stop a real Prometheus (Debian's package; scripts/ensure-prometheus.sh installs it when
// missing) with the remote-write receiver enabled, and query it.
//
//   import { startPrometheus } from './harness/prometheus.js';
//   const prom = await startPrometheus();
//   // point the collector at prom.remoteWriteUrl, then:
//   const rows = await prom.query('sum by (cli_command) (cli_command_invocations_total)');
//   // rows: [{ metric: { cli_command: 'note' }, value: 12, timestamp: 1764123456.789 }, ...]
//   await prom.stop();
//
// Listens on 127.0.0.1 on a free port, stores its TSDB in a fresh temporary directory that
// stop() removes, and stop() ends exactly the process it started.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../../scripts/collector-common.mjs';
import { fetchJson, fetchText } from './http.js';
import { freePort } from './ports.js';
import { runProcess, startProcess, waitFor } from './process.js';

let binaryPromise;

/**
 * The prometheus binary: PROMETHEUS_BIN, else `prometheus` on PATH, else Debian's package
 * installed by scripts/ensure-prometheus.sh (bounded to 20 minutes).
 * @returns {Promise<string>}
 */
export function prometheusBinary() {
  binaryPromise ??= (async () => {
    const { code, stdout, stderr } = await runProcess('bash', [join(ROOT, 'scripts', 'ensure-prometheus.sh')], {
      timeoutMs: 20 * 60_000,
    });
    if (code !== 0) throw new Error(`scripts/ensure-prometheus.sh failed:\n${stderr}`);
    return stdout.trim().split('\n').pop();
  })();
  return binaryPromise;
}

/**
 * One sample of an instant vector, with the value parsed to a number.
 * @typedef {{ metric: Record<string, string>, value: number, timestamp: number }} VectorSample
 */

/**
 * A running Prometheus started by {@link startPrometheus}.
 * @typedef {object} RunningPrometheus
 * @property {number} pid
 * @property {string} url             base URL, e.g. http://127.0.0.1:40123
 * @property {string} remoteWriteUrl  `${url}/api/v1/write`
 * @property {string} dataDir         the temporary TSDB directory
 * @property {(promql: string, time?: number) => Promise<VectorSample[]>} query
 *           instant query; `time` in Unix seconds (default: now). A scalar result comes back as
 *           one sample with empty labels. Throws on a Prometheus error.
 * @property {(match: string, startSeconds?: number) => Promise<Record<string, string>[]>} series
 *           label sets of all series matching a selector (default: the last 24 h)
 * @property {(promql: string, options?: { timeoutMs?: number, what?: string }) => Promise<VectorSample[]>} waitForNonEmpty
 *           polls `query` until it returns at least one sample
 * @property {() => Promise<string>} dumpAll
 *           every label name and value Prometheus holds, and every series' labels, as one string
 *           (for "this text must appear nowhere" checks)
 * @property {() => string} logs
 * @property {(timeoutMs?: number) => Promise<void>} stop  stops Prometheus and removes dataDir
 */

/**
 * Starts Prometheus with `--web.enable-remote-write-receiver` on a free loopback port and waits
 * (bounded) until /-/ready answers.
 * @param {{ scrapeConfigs?: object[], extraArgs?: string[], startTimeoutMs?: number }} [options]
 *   scrapeConfigs: optional Prometheus scrape_configs entries (JSON is valid YAML).
 * @returns {Promise<RunningPrometheus>}
 */
export async function startPrometheus({ scrapeConfigs = [], extraArgs = [], startTimeoutMs = 60_000 } = {}) {
  const bin = await prometheusBinary();
  const dataDir = await mkdtemp(join(tmpdir(), 'cmdtel-prom-'));
  const port = await freePort();
  const configFile = join(dataDir, 'prometheus.yml');
  const config = { global: { scrape_interval: '1s', evaluation_interval: '1s' }, scrape_configs: scrapeConfigs };
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const url = `http://127.0.0.1:${port}`;
  const proc = startProcess(bin, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dataDir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-remote-write-receiver',
    '--storage.tsdb.retention.time=1d',
    '--log.level=warn',
    ...extraArgs,
  ]);
  const stop = async (timeoutMs = 15_000) => {
    await proc.stop(timeoutMs);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (proc.exitCode() !== null) throw new Error(`prometheus exited with ${proc.exitCode()}`);
        const response = await fetchText(`${url}/-/ready`, { timeoutMs: 2_000 });
        return response.status === 200;
      },
      { timeoutMs: startTimeoutMs, intervalMs: 200, what: `prometheus ${url}/-/ready` },
    );
  } catch (error) {
    const logs = proc.logs();
    await stop();
    error.message += `\n--- prometheus output ---\n${logs}`;
    throw error;
  }

  async function api(path, params) {
    const { body } = await fetchJson(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
      timeoutMs: 15_000,
    });
    if (body.status !== 'success') throw new Error(`prometheus ${path} failed: ${body.errorType}: ${body.error}`);
    return body.data;
  }

  async function query(promql, time) {
    const params = { query: promql };
    if (time !== undefined) params.time = String(time);
    const data = await api('/api/v1/query', params);
    if (data.resultType === 'vector') {
      return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]), timestamp: r.value[0] }));
    }
    if (data.resultType === 'scalar') return [{ metric: {}, value: Number(data.result[1]), timestamp: data.result[0] }];
    throw new Error(`unsupported result type ${data.resultType} for ${promql}`);
  }

  async function series(match, startSeconds = Date.now() / 1000 - 86_400) {
    return api('/api/v1/series', { 'match[]': match, start: String(startSeconds) });
  }

  return {
    pid: proc.pid,
    url,
    remoteWriteUrl: `${url}/api/v1/write`,
    dataDir,
    query,
    series,
    waitForNonEmpty: (promql, { timeoutMs = 30_000, what } = {}) =>
      waitFor(
        async () => {
          const rows = await query(promql);
          return rows.length > 0 ? rows : undefined;
        },
        { timeoutMs, intervalMs: 250, what: what ?? `a non-empty result for ${promql}` },
      ),
    async dumpAll() {
      const names = await api('/api/v1/labels', {});
      const parts = [`labels: ${names.join(' ')}`];
      for (const name of names) {
        const { body } = await fetchJson(`${url}/api/v1/label/${encodeURIComponent(name)}/values`, { timeoutMs: 15_000 });
        parts.push(`${name}: ${body.data.join(' ')}`);
      }
      const all = await series('{__name__=~".+"}');
      parts.push(...all.map((labels) => JSON.stringify(labels)));
      return parts.join('\n');
    },
    logs: proc.logs,
    stop,
  };
}
