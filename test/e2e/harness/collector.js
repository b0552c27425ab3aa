// Start/stop the real OpenTelemetry Collector (cmdtel's slim build, or OTELCOL_BIN) for the
// end-to-end tests.
//
//   import { startCollector } from './harness/collector.js';
//   const collector = await startCollector({
//     config: 'gateway-prometheus',                    // collector-config/<name>.yaml, or a path
//     env: { CMDTEL_COLLECTOR_TOKENS: '[tok]', CMDTEL_PROMETHEUS_RW_URL: prom.remoteWriteUrl },
//   });
//   ... POST to `${collector.otlpUrl}/v1/metrics` ...
//   await collector.stop();
//
// Every listener is on 127.0.0.1 on a free port; startCollector waits (bounded) for the
// health_check extension to answer, and stop() ends exactly the process it started.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { buildCollector } from '../../../scripts/collector-build.mjs';
import { CONFIG_DIR, configSources, GATEWAY_RUNTIME_ENV, isGateway, ROOT } from '../../../scripts/collector-common.mjs';
import { freePorts } from './ports.js';
import { fetchText } from './http.js';
import { runProcess, startProcess, waitFor } from './process.js';

export { ROOT, CONFIG_DIR };

let binaryPromise;

/**
 * The collector binary: OTELCOL_BIN when set, else the cached build of
 * collector-config/builder-config.yaml (built on first use; `npm run test:e2e` builds it
 * beforehand through `pretest:e2e`).
 * @returns {Promise<string>}
 */
export function collectorBinary() {
  binaryPromise ??= buildCollector();
  return binaryPromise;
}

/**
 * Absolute path of a configuration: a bare name means collector-config/<name>.yaml.
 * @param {string} config  e.g. 'local', 'gateway-prometheus', 'sls', or a file path
 * @returns {string}
 */
export function configPath(config) {
  if (isAbsolute(config) || config.includes('/') || config.endsWith('.yaml')) return config;
  const file = join(CONFIG_DIR, `${config}.yaml`);
  if (!existsSync(file)) throw new Error(`no collector config ${file}`);
  return file;
}

/**
 * The --config files: the configuration (a gateway expands to gateway.yaml plus its backend
 * overlay, see CONFIG_BASES), then the test's own overlays, merged in that order.
 */
function configFiles(config, overlays) {
  const files = [...configSources(config), ...overlays.map(configPath)];
  for (const file of files) configPath(file); // existence check
  return files;
}

/**
 * The environment a collector child gets: ours minus CMDTEL_* (no leaking from the caller's
 * shell); for a gateway, the runtime settings an operator gives it (GOMEMLIMIT,
 * docs/collector.md "Memory"); then `env`, which wins.
 */
function childEnv(env, files = []) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('CMDTEL_')));
  return { ...base, ...(isGateway(files) ? GATEWAY_RUNTIME_ENV : {}), ...env };
}

/**
 * `otelcol validate` for a configuration (plus optional overlay configs, merged in order).
 * @param {string} config
 * @param {{ env?: Record<string, string>, overlays?: string[], timeoutMs?: number }} [options]
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
export async function validateConfig(config, { env = {}, overlays = [], timeoutMs = 60_000 } = {}) {
  const bin = await collectorBinary();
  const files = configFiles(config, overlays);
  const args = ['validate', ...files.map((file) => `--config=${file}`)];
  return runProcess(bin, args, { env: childEnv(env, files), cwd: ROOT, timeoutMs });
}

/**
 * The component types the binary was built with (`otelcol components`), by kind.
 * @returns {Promise<{ receivers: string[], processors: string[], exporters: string[], extensions: string[], connectors: string[], providers: string[], version: string }>}
 */
export async function collectorComponents() {
  const bin = await collectorBinary();
  const { code, stdout, stderr } = await runProcess(bin, ['components'], { timeoutMs: 30_000 });
  if (code !== 0) throw new Error(`otelcol components failed: ${stderr}`);
  const kinds = { receivers: [], processors: [], exporters: [], extensions: [], connectors: [], providers: [] };
  let current;
  let version = '';
  for (const line of stdout.split('\n')) {
    const top = /^(\w+):\s*(.*)$/.exec(line);
    if (top) {
      current = Object.hasOwn(kinds, top[1]) ? top[1] : undefined;
      if (top[1] === 'buildinfo') current = 'buildinfo';
      continue;
    }
    const name = /^\s+-\s+name:\s*(\S+)/.exec(line);
    if (name && current && current !== 'buildinfo') kinds[current].push(name[1]);
    const scheme = /^\s+-\s+scheme:\s*(\S+)/.exec(line);
    if (scheme && current === 'providers') kinds.providers.push(scheme[1]);
    const ver = /^\s+version:\s*(\S+)/.exec(line);
    if (ver && current === 'buildinfo') version = ver[1];
  }
  return { ...kinds, version };
}

/**
 * A running collector started by {@link startCollector}.
 * @typedef {object} RunningCollector
 * @property {number} pid
 * @property {string} otlpUrl        base URL of the OTLP/HTTP receiver, e.g. http://127.0.0.1:43123 (POST `${otlpUrl}/v1/metrics`)
 * @property {string} healthUrl      the health_check extension's URL
 * @property {string} telemetryUrl   the collector's own Prometheus metrics (`/metrics`)
 * @property {Record<string, string>} env  the CMDTEL_* environment it was started with
 * @property {() => string} logs     the collector's stdout+stderr so far
 * @property {() => Promise<string>} internalMetrics  text of telemetryUrl
 * @property {(timeoutMs?: number) => Promise<void>} stop  SIGTERM (the collector flushes), SIGKILL after timeoutMs
 */

/**
 * Starts the collector with `config` (and `overlays`, merged after it) on free loopback ports and
 * waits until its health check answers 200.
 *
 * The harness sets CMDTEL_OTLP_ENDPOINT, CMDTEL_HEALTH_ENDPOINT and CMDTEL_TELEMETRY_PORT to free
 * loopback ports unless `env` already sets them; everything else the config reads comes from
 * `env` (the caller's CMDTEL_* variables are not inherited).
 *
 * `args` are extra command-line arguments, e.g. `--set=exporters::prometheus_remote_write::external_labels::gateway=gw-2`.
 *
 * @param {{ config: string, overlays?: string[], env?: Record<string, string>, args?: string[], startTimeoutMs?: number }} options
 * @returns {Promise<RunningCollector>}
 */
export async function startCollector({ config, overlays = [], env = {}, args: extraArgs = [], startTimeoutMs = 30_000 }) {
  const bin = await collectorBinary();
  const [otlpPort, healthPort, telemetryPort] = await freePorts(3);
  const cmdtelEnv = {
    CMDTEL_OTLP_ENDPOINT: `127.0.0.1:${otlpPort}`,
    CMDTEL_HEALTH_ENDPOINT: `127.0.0.1:${healthPort}`,
    CMDTEL_TELEMETRY_PORT: String(telemetryPort),
    ...env,
  };
  const files = configFiles(config, overlays);
  const args = [...files.map((file) => `--config=${file}`), ...extraArgs];
  const proc = startProcess(bin, args, { env: childEnv(cmdtelEnv, files), cwd: ROOT });
  const otlpUrl = `http://${cmdtelEnv.CMDTEL_OTLP_ENDPOINT}`;
  const healthUrl = `http://${cmdtelEnv.CMDTEL_HEALTH_ENDPOINT}/`;
  const telemetryUrl = `http://127.0.0.1:${cmdtelEnv.CMDTEL_TELEMETRY_PORT}/metrics`;
  try {
    await waitFor(
      async () => {
        if (proc.exitCode() !== null) throw new Error(`collector exited with ${proc.exitCode()}`);
        const response = await fetchText(healthUrl, { timeoutMs: 2_000 });
        return response.status === 200;
      },
      { timeoutMs: startTimeoutMs, intervalMs: 100, what: `collector health check ${healthUrl}` },
    );
  } catch (error) {
    await proc.stop();
    error.message += `\n--- collector output ---\n${proc.logs()}`;
    throw error;
  }
  return {
    pid: proc.pid,
    otlpUrl,
    healthUrl,
    telemetryUrl,
    env: cmdtelEnv,
    logs: proc.logs,
    async internalMetrics() {
      const response = await fetchText(telemetryUrl, { timeoutMs: 5_000 });
      return response.text;
    },
    stop: proc.stop,
  };
}
