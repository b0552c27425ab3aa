// Where the slow tool builds (the collector, Prometheus 3) are cached, and which Prometheus
// release a Go module version stands for.
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_MODULE_VERSION, moduleVersion, prometheus3Dir, releaseVersion } from '../../scripts/prometheus3-build.mjs';
import { userCacheDir } from '../../scripts/user-cache.mjs';

test('the user-level cache: CMDTEL_CACHE_DIR, else XDG_CACHE_HOME/cmdtel, else ~/.cache/cmdtel; relative values ignored', () => {
  const root = join(homedir(), 'x');
  assert.equal(userCacheDir({ CMDTEL_CACHE_DIR: join(root, 'c'), XDG_CACHE_HOME: join(root, 'x') }), join(root, 'c'));
  assert.equal(userCacheDir({ XDG_CACHE_HOME: join(root, 'x') }), join(root, 'x', 'cmdtel'));
  assert.equal(userCacheDir({ CMDTEL_CACHE_DIR: 'relative', XDG_CACHE_HOME: 'also-relative' }), join(homedir(), '.cache', 'cmdtel'));
  assert.equal(userCacheDir({}), join(homedir(), '.cache', 'cmdtel'));
});

test('Prometheus 3 builds are keyed by module version, v0.3XX.Y standing for 3.XX.Y', () => {
  assert.equal(DEFAULT_MODULE_VERSION, 'v0.316.0');
  assert.equal(releaseVersion('v0.316.0'), '3.16.0');
  assert.equal(releaseVersion('v0.305.12'), '3.5.12');
  assert.equal(moduleVersion({}), 'v0.316.0');
  assert.equal(moduleVersion({ CMDTEL_PROMETHEUS3_MODULE_VERSION: 'v0.315.1' }), 'v0.315.1');
  assert.throws(() => moduleVersion({ CMDTEL_PROMETHEUS3_MODULE_VERSION: 'v3.16.0' }), /must look like v0\.316\.0/);
  assert.equal(prometheus3Dir('v0.316.0', { CMDTEL_CACHE_DIR: join(homedir(), 'c') }), join(homedir(), 'c', 'prometheus', 'v0.316.0'));
});
