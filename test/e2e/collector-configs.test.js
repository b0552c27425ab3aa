// The shipped collector configurations against the real collector binary: each one passes
// `otelcol validate`, uses only components the slim build has, and the build has no component
// that no configuration uses. The local config also runs: token checked, output file written.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { CONFIG_DIR, GATEWAY_RUNTIME_ENV, configSources } from '../../scripts/collector-common.mjs';
import { collectorComponents, startCollector, validateConfig } from './harness/collector.js';
import { cliRequest, postMetrics } from './harness/otlp.js';
import { waitFor } from './harness/process.js';

const CONFIGS = {
  local: { CMDTEL_COLLECTOR_TOKEN: 'dummy-token' },
  'gateway-prometheus': {
    CMDTEL_COLLECTOR_TOKENS: '[dummy-token-new, dummy-token-old]',
    CMDTEL_PROMETHEUS_RW_URL: 'http://127.0.0.1:9/api/v1/write',
  },
  sls: {
    CMDTEL_COLLECTOR_TOKENS: '[dummy-token]',
    CMDTEL_SLS_ENDPOINT: 'cn-hangzhou.log.aliyuncs.com',
    CMDTEL_SLS_PROJECT: 'dummy-project',
    CMDTEL_SLS_METRICSTORE: 'dummy-store',
    CMDTEL_SLS_BASIC_AUTH: Buffer.from('dummy-id:dummy-secret').toString('base64'),
  },
};

/**
 * The component ids a config declares, per kind, from its top-level sections (a deliberately
 * small reader for the shape of our own files: `kind:` at column 0, `  type[/name]:` below).
 */
function declaredComponents(files) {
  const kinds = { receivers: new Set(), processors: new Set(), exporters: new Set(), extensions: new Set(), connectors: new Set() };
  let current;
  for (const line of files
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n')
    .split('\n')) {
    const top = /^([a-z_]+):/.exec(line);
    if (top) {
      current = Object.hasOwn(kinds, top[1]) ? top[1] : undefined;
      continue;
    }
    const entry = /^ {2}([a-z_]+)(?:\/[\w.-]+)?:/.exec(line);
    if (entry && current) kinds[current].add(entry[1]);
  }
  return kinds;
}

describe('collector configurations', () => {
  for (const [name, env] of Object.entries(CONFIGS)) {
    test(`${name}.yaml passes otelcol validate`, async () => {
      const result = await validateConfig(name, { env });
      assert.equal(result.code, 0, `validate failed:\n${result.stdout}\n${result.stderr}`);
    });
  }

  test('the gateways are one shared pipeline (gateway.yaml) plus a backend overlay', async () => {
    assert.deepEqual(
      configSources('gateway-prometheus').map((f) => f.split(/[\\/]/).pop()),
      ['gateway.yaml', 'gateway-prometheus.yaml'],
    );
    assert.deepEqual(
      configSources('sls').map((f) => f.split(/[\\/]/).pop()),
      ['gateway.yaml', 'sls.yaml'],
    );
    // The base alone is not a collector: it has no exporter until an overlay adds one.
    const alone = await validateConfig(configSources('gateway-prometheus')[0], { env: CONFIGS['gateway-prometheus'] });
    assert.notEqual(alone.code, 0, 'gateway.yaml alone must not validate');
    for (const overlay of ['gateway-prometheus', 'sls']) {
      const declared = declaredComponents([configSources(overlay)[1]]);
      assert.deepEqual([...declared.processors, ...declared.receivers, ...declared.extensions], [], `${overlay}.yaml only adds its exporter`);
    }
  });

  test('validate refuses a gateway without tokens, and a single bare token (the list form is required)', async () => {
    const { CMDTEL_COLLECTOR_TOKENS, ...rest } = CONFIGS['gateway-prometheus'];
    const missing = await validateConfig('gateway-prometheus', { env: rest });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr + missing.stdout, /no bearer token provided/);
    const bare = await validateConfig('gateway-prometheus', { env: { ...rest, CMDTEL_COLLECTOR_TOKENS: 'just-one' } });
    assert.notEqual(bare.code, 0);
    assert.ok(CMDTEL_COLLECTOR_TOKENS.startsWith('['));
  });

  test('the build has exactly the components the configurations use', async () => {
    const built = await collectorComponents();
    const used = { receivers: new Set(), processors: new Set(), exporters: new Set(), extensions: new Set(), connectors: new Set() };
    for (const name of Object.keys(CONFIGS)) {
      const declared = declaredComponents(configSources(name));
      for (const kind of Object.keys(used)) {
        for (const type of declared[kind]) {
          assert.ok(built[kind].includes(type), `${name}.yaml uses ${kind} "${type}", which the build does not have (has: ${built[kind].join(', ')})`);
          used[kind].add(type);
        }
      }
    }
    for (const kind of Object.keys(used)) {
      assert.deepEqual([...built[kind]].sort(), [...used[kind]].sort(), `${kind} in the build vs used by the configs`);
    }
    // The current (underscored) type names, not the deprecated aliases.
    assert.ok(built.exporters.includes('prometheus_remote_write'));
    assert.ok(built.processors.includes('delta_to_cumulative'));
    assert.ok(built.providers.includes('env') && built.providers.includes('file'));
  });
});

describe('local.yaml runs: bearer token checked, requests written to the file exporter', () => {
  let dir;
  let collector;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cmdtel-local-'));
    collector = await startCollector({
      config: 'local',
      env: { CMDTEL_COLLECTOR_TOKEN: 'local-test-token', CMDTEL_FILE_EXPORT_PATH: join(dir, 'out.jsonl'), CMDTEL_DEBUG_VERBOSITY: 'basic' },
    });
  });
  after(async () => {
    await collector?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('401 without or with a wrong token; 200 with it, and the request lands in the file', async () => {
    const now = Date.now();
    const body = cliRequest({
      startMs: now - 100,
      endMs: now,
      invocations: [{ attributes: { 'cli.command': 'localcheck', 'cli.outcome': 'ok', 'process.exit.code': 0 }, durationSeconds: 0.1 }],
    });
    assert.equal((await postMetrics(collector.otlpUrl, body)).status, 401);
    assert.equal((await postMetrics(collector.otlpUrl, body, { token: 'wrong' })).status, 401);
    assert.equal((await postMetrics(collector.otlpUrl, body, { token: 'local-test-token' })).status, 200);
    const text = await waitFor(
      async () => {
        const content = await readFile(join(dir, 'out.jsonl'), 'utf8').catch(() => '');
        return content.includes('localcheck') ? content : undefined;
      },
      { timeoutMs: 10_000, what: 'the file exporter output' },
    );
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(lines.length, 1, 'only the accepted request is written');
  });
});

describe('a gateway runs with the memory settings docs/collector.md gives operators', () => {
  const mib = (value) => {
    const match = /^(\d+)MiB$/.exec(value);
    assert.ok(match, `GOMEMLIMIT in MiB, got ${value}`);
    return Number(match[1]);
  };

  test('the deployment example, the config default and the harness agree: GOMEMLIMIT is 80% of the limiter hard limit', () => {
    const docs = readFileSync(fileURLToPath(new URL('../../docs/collector.md', import.meta.url)), 'utf8');
    const deployment = /# \/etc\/cmdtel\/gateway\.env[\s\S]*?```/.exec(docs)?.[0] ?? '';
    assert.equal(/^GOMEMLIMIT=(\S+)$/m.exec(deployment)?.[1], GATEWAY_RUNTIME_ENV.GOMEMLIMIT);
    const gateway = readFileSync(join(CONFIG_DIR, 'gateway.yaml'), 'utf8');
    const limit = Number(/limit_mib: \$\{env:CMDTEL_MEMORY_LIMIT_MIB:-(\d+)\}/.exec(gateway)?.[1]);
    assert.equal(/^CMDTEL_MEMORY_LIMIT_MIB=(\d+)$/m.exec(deployment)?.[1], String(limit));
    const ratio = mib(GATEWAY_RUNTIME_ENV.GOMEMLIMIT) / limit;
    assert.ok(ratio > 0.78 && ratio < 0.82, `GOMEMLIMIT / limit_mib = ${ratio.toFixed(3)}`);
  });

  test('the harness starts a gateway with GOMEMLIMIT in its environment, and the local collector without it', async () => {
    const environ = (pid) =>
      Object.fromEntries(
        readFileSync(`/proc/${pid}/environ`, 'latin1')
          .split('\0')
          .filter(Boolean)
          .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
      );
    const gateway = await startCollector({ config: 'gateway-prometheus', env: CONFIGS['gateway-prometheus'] });
    try {
      assert.equal(environ(gateway.pid).GOMEMLIMIT, GATEWAY_RUNTIME_ENV.GOMEMLIMIT);
    } finally {
      await gateway.stop();
    }
    const dir = await mkdtemp(join(tmpdir(), 'cmdtel-local-env-'));
    const local = await startCollector({ config: 'local', env: { ...CONFIGS.local, CMDTEL_FILE_EXPORT_PATH: join(dir, 'out.jsonl') } });
    try {
      // Only what the caller's own environment has (normally nothing).
      assert.equal(environ(local.pid).GOMEMLIMIT, process.env.GOMEMLIMIT);
    } finally {
      await local.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
