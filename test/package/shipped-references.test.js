// An operator who ran only `npm install cmdtel` can follow every shipped file: nothing in the
// tarball tells them to run a command or open a file that the tarball does not have.
//
// What counts as such an instruction (in every shipped text file):
// - `npm run …`: a package's scripts never reach the people who install it;
// - `node|bash|sh PATH` with a relative PATH, and `scripts/…` or `.cache/…` paths: repository tooling;
// - a relative Markdown link: its target must be a shipped file (or a folder holding some);
// - `cmdtel SUBCOMMAND`: it must be a subcommand the shipped CLI has.
// Plain mentions of the source repository's tests, examples and benchmarks as evidence
// ("test/e2e/sls.test.js proves …") are not instructions and stay allowed, and so is a section for
// people working on a clone of the repository, fenced by `<!-- repository-only -->` and
// `<!-- /repository-only -->` (and saying so in its text).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';
import { cleanEnv } from '../helpers/run-node.js';

/** The tarball's file list (npm pack takes seconds: once per file). */
const packed = () => (packedFiles ??= packFileList());
let packedFiles;
const packFileList = () =>
  JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: cleanEnv({ npm_config_update_notifier: 'false' }),
    }),
  )[0].files.map((file) => file.path);

/** The files the tarball may hold besides dist/: everything else is a decision to write down here. */
const SHIPPED_OUTSIDE_DIST = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^CHANGELOG\.md$/,
  /^docs\/[a-z-]+\.md$/,
  /^collector-config\/[a-z-]+\.yaml$/,
  /^dashboards\/grafana\/[a-z-]+\.json$/,
  /^alerts\/[a-z.-]+\.(yml|mjs)$/,
  /^alerts\/params\.json$/,
  // cmdtel-sls (docs/sls.md): the SLS dashboard and alerts as code, and the generated Terraform module.
  /^sls\/[a-z-]+\.mjs$/,
  /^sls\/terraform\/[a-z-]+\.tf$/,
];

/** The `cmdtel` subcommands and flags that dist/cli/main.js accepts. */
const CLI_WORDS = new Set(['report', 'rules', 'collector', '--version', '-v', '--help', '-h']);

/** Every instruction in `text` (a file at `path` in the package) that the package cannot follow. */
function missingReferences(path, text, shipped) {
  const problems = [];
  const isShipped = (target) => shipped.has(target) || [...shipped].some((file) => file.startsWith(`${target.replace(/\/$/, '')}/`));
  let repositoryOnly = false;
  let inFence = false;
  text.split('\n').forEach((line, index) => {
    const where = `${path}:${index + 1}`;
    if (line.includes('<!-- repository-only -->')) repositoryOnly = true;
    if (line.includes('<!-- /repository-only -->')) repositoryOnly = false;
    if (/^\s*```/.test(line)) inFence = !inFence;
    if (repositoryOnly) return;
    for (const match of line.matchAll(/\bnpm run [\w:-]+/g)) problems.push(`${where}: ${match[0]}`);
    for (const match of line.matchAll(/\b(?:node|bash|sh) ((?:\.\.?\/)?[\w.-]+\/[\w./-]+)/g)) {
      if (!shipped.has(normalize(match[1]))) problems.push(`${where}: ${match[0]}`);
    }
    for (const match of line.matchAll(/(?:^|[\s`(["'/])((?:scripts|\.cache)\/[\w./<>*-]*)/g)) problems.push(`${where}: ${match[1]}`);
    for (const match of line.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      const target = match[1];
      if (/^[a-z]+:/i.test(target)) continue;
      const resolved = normalize(join(dirname(path), target));
      if (resolved.startsWith('..') || !isShipped(resolved)) problems.push(`${where}: link ${target}`);
    }
    for (const match of line.matchAll(/\bcmdtel (-{0,2}[a-z][\w-]*)/g)) {
      // Only the command-line form counts: `npx cmdtel x`, a code span starting `cmdtel x`, or a
      // line of a fenced code block starting with it.
      const before = line.slice(0, match.index);
      if (!(/(npx |`)$/.test(before) || (inFence && /^\s*\$?\s*$/.test(before)))) continue;
      if (!CLI_WORDS.has(match[1])) problems.push(`${where}: cmdtel ${match[1]}`);
    }
  });
  return problems;
}

test('the tarball holds dist/ and only the listed operator files', () => {
  const files = packed();
  const unexpected = files.filter((file) => !(/^dist\/[\w/.-]+\.(js|cjs|d\.ts)$/.test(file) || SHIPPED_OUTSIDE_DIST.some((re) => re.test(file))));
  assert.deepEqual(unexpected, []);
  for (const required of [
    'LICENSE',
    'CHANGELOG.md',
    'README.md',
    'alerts/render.mjs',
    'alerts/params.json',
    'alerts/cmdtel.rules.yml',
    'collector-config/builder-config.yaml',
  ]) {
    assert.ok(files.includes(required), required);
  }
});

test('shipped .mjs files import only shipped files', () => {
  const files = packed();
  const shipped = new Set(files);
  const problems = [];
  for (const file of files.filter((f) => f.endsWith('.mjs'))) {
    for (const match of readFileSync(join(repoRoot, file), 'utf8').matchAll(/\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = normalize(join(dirname(file), match[1]));
      if (!shipped.has(target)) problems.push(`${file}: ${match[1]}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('no shipped file tells the reader to run or open something the package lacks', () => {
  const files = packed();
  const shipped = new Set(files);
  const problems = files
    .filter((file) => /\.(md|ya?ml|json)$/.test(file) && file !== 'package.json')
    .flatMap((file) => missingReferences(file, readFileSync(join(repoRoot, file), 'utf8'), shipped));
  assert.deepEqual(problems, []);
});

test('the reference check finds each kind of missing instruction', () => {
  const shipped = new Set(['docs/a.md', 'alerts/render.mjs', 'collector-config/local.yaml']);
  const text = [
    'run `npm run collector` first',
    'node alerts/render.mjs --out x.yml',
    'node examples/notes/cli.js note list',
    'see scripts/collector-build.mjs and .cache/otelcol/x',
    '[ok](../collector-config/local.yaml) [gone](../test/e2e/sls.test.js) [web](https://example.org/x)',
    '`npx cmdtel rules` and `cmdtel frobnicate` and cmdtel keeps counting',
    '<!-- repository-only -->',
    'npm run test:e2e',
    '<!-- /repository-only -->',
    '```sh',
    'cmdtel report --file x',
    'cmdtel nosuch',
    '```',
  ].join('\n');
  assert.deepEqual(missingReferences('docs/a.md', text, shipped), [
    'docs/a.md:1: npm run collector',
    'docs/a.md:3: node examples/notes/cli.js',
    'docs/a.md:4: scripts/collector-build.mjs',
    'docs/a.md:4: .cache/otelcol/x',
    'docs/a.md:5: link ../test/e2e/sls.test.js',
    'docs/a.md:6: cmdtel frobnicate',
    'docs/a.md:12: cmdtel nosuch',
  ]);
});
