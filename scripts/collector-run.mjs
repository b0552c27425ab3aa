#!/usr/bin/env node
// npm run collector [-- <config name or path>]
//
// Runs the collector in the foreground with collector-config/local.yaml (or the config given as
// the first argument: a name in collector-config/ such as `gateway-prometheus`, or a path).
// Builds the collector first when needed (or uses OTELCOL_BIN). Ctrl-C stops it.
//
// For local.yaml, CMDTEL_COLLECTOR_TOKEN defaults to `local-dev-token` (printed at start); for a
// gateway, GOMEMLIMIT defaults to the value docs/collector.md ("Memory") gives operators; every
// other setting comes from the environment as documented at the top of each config file.
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { buildCollector } from './collector-build.mjs';
import { CONFIG_DIR, configSources, GATEWAY_RUNTIME_ENV, isGateway, ROOT } from './collector-common.mjs';

function configFile(arg) {
  if (!arg) return join(CONFIG_DIR, 'local.yaml');
  if (isAbsolute(arg) || arg.includes('/') || arg.endsWith('.yaml')) return resolve(arg);
  return join(CONFIG_DIR, `${arg}.yaml`);
}

async function main() {
  const config = configFile(process.argv[2]);
  // A gateway is the shared pipeline plus its backend overlay (CONFIG_BASES), merged in order.
  const sources = process.argv[2] && !process.argv[2].includes('/') && !process.argv[2].endsWith('.yaml') ? configSources(process.argv[2]) : [config];
  for (const source of sources) if (!existsSync(source)) throw new Error(`no such config: ${source}`);
  const bin = await buildCollector();
  const env = { ...process.env };
  if (config.endsWith('local.yaml') && !env.CMDTEL_COLLECTOR_TOKEN) {
    env.CMDTEL_COLLECTOR_TOKEN = 'local-dev-token';
    process.stderr.write('[collector] CMDTEL_COLLECTOR_TOKEN not set: using local-dev-token\n');
  }
  if (config.endsWith('local.yaml')) {
    const endpoint = env.CMDTEL_OTLP_ENDPOINT ?? '127.0.0.1:4318';
    process.stderr.write(
      `[collector] OTLP/HTTP on http://${endpoint} (POST /v1/metrics); file output: ${env.CMDTEL_FILE_EXPORT_PATH ?? 'cmdtel-metrics.jsonl'}\n`,
    );
  }
  if (isGateway(sources)) {
    // The runtime settings a gateway needs (docs/collector.md, "Memory"), unless already set.
    for (const [key, value] of Object.entries(GATEWAY_RUNTIME_ENV)) {
      if (env[key] === undefined) {
        env[key] = value;
        process.stderr.write(`[collector] ${key} not set: using ${value}\n`);
      }
    }
  }
  const child = spawn(
    bin,
    sources.map((source) => `--config=${source}`),
    { cwd: process.cwd() || ROOT, env, stdio: 'inherit' },
  );
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  await new Promise((resolvePromise) => {
    child.on('exit', (code, signal) => {
      process.exitCode = code ?? (signal ? 1 : 0);
      resolvePromise();
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    process.stderr.write(`[collector] ${error.message}\n`);
    process.exitCode = 1;
  });
}
