import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixture = (name) => join(repoRoot, 'test', 'fixtures', name);
export const notesCli = join(repoRoot, 'examples', 'notes', 'cli.js');
export const reportCli = join(repoRoot, 'dist', 'cli', 'main.js');

/** A fresh temp dir, removed by `t.after`. */
export function tempDir(t, prefix = 'cmdtel-test-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
