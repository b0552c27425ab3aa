// The recording stage's V8 code cache (src/start/late-load.ts): written once telemetry is on,
// used by the next run, keyed by the bundle's content, and never a reason for a run to fail.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, runNode } from '../helpers/run-node.js';
import { fixture, repoRoot, tempDir } from '../helpers/paths.js';

const BUNDLES = ['recording/runtime.cjs', 'recording/zod.cjs', 'delivery/otlp-pipeline.cjs'];

/** The hash on a built bundle's first line. */
function bundleHash(bundle) {
  return /^\/\/ cmdtel bundle ([0-9a-f]{16})\n/.exec(readFileSync(join(repoRoot, 'dist', bundle), 'utf8'))[1];
}

const runtimeCacheName = () => `runtime.cjs.${bundleHash('recording/runtime.cjs')}.${process.version}.${process.arch}.v8`;

async function recordOnce(configDir, events) {
  const result = await runNode(fixture('telemetry-cli.js'), ['doc', 'create'], {
    env: cleanEnv({ FIXTURE_CONFIG_DIR: configDir, FIXTURE_TELEMETRY_FILE: events }),
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
}

const lines = (file) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

test('every CommonJS stage bundle starts with the hash of its own content (the cache key)', () => {
  for (const bundle of BUNDLES) {
    const text = readFileSync(join(repoRoot, 'dist', bundle), 'utf8');
    const newline = text.indexOf('\n');
    const expected = createHash('sha256')
      .update(text.slice(newline + 1))
      .digest('hex')
      .slice(0, 16);
    assert.equal(bundleHash(bundle), expected, bundle);
  }
});

test('the first enabled run writes the cache; the next one uses it and leaves it as it is', async (t) => {
  const dir = tempDir(t);
  const configDir = join(dir, 'config');
  const events = join(dir, 'events.jsonl');
  await recordOnce(configDir, events);
  const cacheDir = join(configDir, 'code-cache');
  assert.deepEqual(readdirSync(cacheDir), [runtimeCacheName()]);
  const written = statSync(join(cacheDir, runtimeCacheName()));
  assert.ok(written.size > 0);

  await recordOnce(configDir, events);
  // Written only when missing or rejected by V8: the same file, untouched, means it was accepted.
  const after = statSync(join(cacheDir, runtimeCacheName()));
  assert.equal(after.ino, written.ino);
  assert.equal(after.mtimeMs, written.mtimeMs);
  assert.equal(lines(events).length, 2);
});

test('a corrupt cache is rejected, the run records as usual, and the cache is rewritten', async (t) => {
  const dir = tempDir(t);
  const configDir = join(dir, 'config');
  const events = join(dir, 'events.jsonl');
  const cacheDir = join(configDir, 'code-cache');
  mkdirSync(cacheDir, { recursive: true });
  const garbage = Buffer.alloc(4096, 0x5a);
  writeFileSync(join(cacheDir, runtimeCacheName()), garbage);

  await recordOnce(configDir, events);
  assert.equal(lines(events).length, 1);
  assert.match(lines(events)[0], /"command":"doc","subcommand":"create"/);
  const rewritten = readFileSync(join(cacheDir, runtimeCacheName()));
  assert.notDeepEqual(rewritten, garbage);

  // And the rewritten cache is one V8 accepts: the next run leaves it alone.
  const before = statSync(join(cacheDir, runtimeCacheName()));
  await recordOnce(configDir, events);
  assert.equal(statSync(join(cacheDir, runtimeCacheName())).mtimeMs, before.mtimeMs);
});

test("another bundle version's cache is removed when this one's is written; other files stay", async (t) => {
  const dir = tempDir(t);
  const configDir = join(dir, 'config');
  const cacheDir = join(configDir, 'code-cache');
  mkdirSync(cacheDir, { recursive: true });
  const stale = `runtime.cjs.0123456789abcdef.${process.version}.${process.arch}.v8`;
  writeFileSync(join(cacheDir, stale), 'old');
  writeFileSync(join(cacheDir, 'unrelated.txt'), 'kept');

  await recordOnce(configDir, join(dir, 'events.jsonl'));
  assert.deepEqual(readdirSync(cacheDir).sort(), [runtimeCacheName(), 'unrelated.txt'].sort());
});

test('a config dir that cannot be written: no cache, no warning, the event is recorded', async (t) => {
  const dir = tempDir(t);
  // A file where the config dir would be: every mkdir below it fails (ENOTDIR), for root too.
  const configDir = join(dir, 'not-a-dir');
  writeFileSync(configDir, 'a file');
  const events = join(dir, 'events.jsonl');
  await recordOnce(configDir, events);
  assert.equal(lines(events).length, 1);
  assert.equal(existsSync(join(configDir, 'code-cache')), false);
});
