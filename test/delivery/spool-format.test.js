// What background delivery leaves on disk, in-process: the spool's layout,
// line format and file modes. A sender "cooling down" in the lock keeps any
// real sender from starting, so nothing here leaves a process behind.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTelemetry } from 'cmdtel';
import { startOtlpListener } from '../helpers/otlp-listener.js';
import { tempDir } from '../helpers/paths.js';

const URL = 'http://127.0.0.1:9';

/** A spool whose lock says a sender is cooling down for an hour: commands append, none spawns. */
function quietSpool(t) {
  const configDir = tempDir(t);
  const root = join(configDir, 'telemetry-spool');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'sender.lock'), JSON.stringify({ pid: 1, until: Date.now() + 3_600_000, retry: true }));
  return { configDir, root };
}

function telemetryFor(configDir, env = {}) {
  return createTelemetry({ name: 'dws', version: '1.4.2', configDir, env: { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_ENABLED: '1', ...env } });
}

function destinations(root) {
  return readdirSync(root).filter((name) => /^[0-9a-f]{16}$/.test(name));
}

test('each end() appends one line {"id","ev"} whose ev is the file-sink line; no sender while the lock is held', async (t) => {
  const { configDir, root } = quietSpool(t);
  const telemetry = telemetryFor(configDir);
  telemetry.start({ command: 'doc', subcommand: 'create_document' }).end({ exitCode: 2, errorClass: 'auth' });
  telemetry.start({ command: 'sheet' }).end();
  await telemetry.shutdown();

  const [dir, ...others] = destinations(root);
  assert.equal(others.length, 0);
  const lines = readFileSync(join(root, dir, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.equal(lines.length, 2);
  assert.deepEqual(Object.keys(lines[0]), ['id', 'ev']);
  assert.match(lines[0].id, /^[0-9a-f]{16}$/);
  assert.notEqual(lines[0].id, lines[1].id);
  assert.equal(lines[0].ev.command, 'doc');
  assert.equal(lines[0].ev.exit_code, 2);
  assert.equal(lines[0].ev.err_class, 'auth');
  assert.equal(lines[1].ev.outcome, 'ok');
  assert.equal(existsSync(join(root, 'sender.log')), false, 'no sender started');
});

test('target.json holds the destination and the token, 0600 in a 0700 directory; the version is not part of it', (t) => {
  const { configDir, root } = quietSpool(t);
  telemetryFor(configDir, { DWS_TELEMETRY_TOKEN: 'tok-1' }).start({ command: 'doc' }).end();
  const [dir] = destinations(root);
  const target = JSON.parse(readFileSync(join(root, dir, 'target.json'), 'utf8'));
  assert.deepEqual(target, {
    url: `${URL}/v1/metrics`,
    headers: { Authorization: 'Bearer tok-1' },
    compression: 'none',
    serviceName: 'dws',
    includeTraceId: false,
  });
  assert.equal(statSync(join(root, dir)).mode & 0o777, 0o700);
  assert.equal(statSync(join(root, dir, 'target.json')).mode & 0o777, 0o600);
  assert.equal(statSync(join(root, dir, 'events.jsonl')).mode & 0o777, 0o600);
});

test('another token or URL is another destination directory; another CLI version is not', (t) => {
  const { configDir, root } = quietSpool(t);
  telemetryFor(configDir, { DWS_TELEMETRY_TOKEN: 'tok-1' }).start({ command: 'doc' }).end();
  createTelemetry({ name: 'dws', version: '9.9.9', configDir, env: { DWS_TELEMETRY_URL: URL, DWS_TELEMETRY_ENABLED: '1', DWS_TELEMETRY_TOKEN: 'tok-1' } })
    .start({ command: 'doc' })
    .end();
  assert.equal(destinations(root).length, 1);
  telemetryFor(configDir, { DWS_TELEMETRY_TOKEN: 'tok-2' }).start({ command: 'doc' }).end();
  telemetryFor(configDir, { DWS_TELEMETRY_URL: 'http://127.0.0.1:10' }).start({ command: 'doc' }).end();
  assert.equal(destinations(root).length, 3);
});

test('<P>_TELEMETRY_SPOOL_DIR moves the spool; inline delivery that is delivered writes no spool at all', async (t) => {
  const { configDir } = quietSpool(t);
  const elsewhere = join(tempDir(t), 'spool');
  mkdirSync(elsewhere);
  writeFileSync(join(elsewhere, 'sender.lock'), JSON.stringify({ pid: 1, until: Date.now() + 3_600_000, retry: true }));
  telemetryFor(configDir, { DWS_TELEMETRY_SPOOL_DIR: elsewhere }).start({ command: 'doc' }).end();
  assert.equal(destinations(elsewhere).length, 1);

  // An endpoint that accepts: inline delivery that fails keeps its events in the spool (docs/delivery.md).
  const listener = await startOtlpListener();
  t.after(() => listener.close());
  const inlineHome = tempDir(t);
  const inline = telemetryFor(inlineHome, { DWS_TELEMETRY_URL: listener.url, DWS_TELEMETRY_DELIVERY: 'inline', DWS_TELEMETRY_TIMEOUT_MS: '5000' });
  inline.start({ command: 'doc' }).end();
  await inline.shutdown();
  assert.equal(listener.requests.length, 1);
  assert.deepEqual(readdirSync(inlineHome), []);
});
