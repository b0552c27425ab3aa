// The folders of src/ are the load stages (docs/design.md, "What loads when"). This test reads every
// import in src/ and holds the tree to that promise: a file imports only from its own stage or from
// stages that load no later than it, and no two files import each other, directly or in a circle.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';

const SRC = join(repoRoot, 'src');

// What each stage may import (besides itself). `vocabulary` is shared by all and imports nothing else.
const MAY_IMPORT = {
  vocabulary: [],
  start: ['vocabulary'],
  recording: ['vocabulary', 'start', 'delivery'],
  delivery: ['vocabulary', 'start'],
  integrations: ['vocabulary', 'start'],
  report: [],
  cli: ['report'],
  '.': ['vocabulary', 'start'], // src/index.ts, the public surface
};

function sourceFiles(dir = SRC) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Relative imports of one file (value and type imports alike, and `import('...')` types), as src-relative paths. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const from = relative(SRC, dirname(file)).split('\\').join('/');
  return [...text.matchAll(/(?:from\s+|import\()\s*'(\.{1,2}\/[^']+)\.js'/g)].map((m) => posix.normalize(posix.join(from, m[1])) + '.ts');
}

const stageOf = (path) => (path.includes('/') ? path.split('/')[0] : '.');
const graph = new Map(sourceFiles().map((file) => [relative(SRC, file).split('\\').join('/'), importsOf(file)]));

test('every stage folder is known and every import points at a file that exists', () => {
  for (const [file, imports] of graph) {
    assert.ok(stageOf(file) in MAY_IMPORT, `${file}: unknown stage folder`);
    for (const target of imports) assert.ok(graph.has(target), `${file} imports ${target}, which does not exist`);
  }
});

test('a stage imports only from itself and the stages allowed to load before it', () => {
  const violations = [];
  for (const [file, imports] of graph) {
    const stage = stageOf(file);
    for (const target of imports) {
      const other = stageOf(target);
      if (other !== stage && !MAY_IMPORT[stage].includes(other)) violations.push(`${file} → ${target}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('no import circles', () => {
  const state = new Map(); // file → 'visiting' | 'done'
  const circles = [];
  const visit = (file, path) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      circles.push([...path.slice(path.indexOf(file)), file].join(' → '));
      return;
    }
    state.set(file, 'visiting');
    for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  assert.deepEqual(circles, []);
});
