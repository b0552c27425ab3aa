// Proves cmdtel installs and works next to either OpenTelemetry SDK line:
// packs the tarball, installs it into fresh projects with sdk-metrics 2.x +
// api 1.9 (this Node) and with sdk-metrics 3.x + api 1.10 (Node 22, itself
// installed from the npm registry), fails on any npm resolution error, then
// runs the host-mode tests and an OTLP smoke test inside each project; the framework adapters under
// Node 22, the oclif example on @oclif/core 5 (Node 22 only); then the TypeScript consumer
// matrix (typescript-consumers.test.js: strict tsc against the tarball, with and without the API).
// Needs the npm registry; everything lands under .cache/compat.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cache = join(repoRoot, '.cache', 'compat');
const NODE_22 = '22.23.3';
/** The current oclif major, which needs Node 22: the oclif example runs on it in a project of its own. */
const OCLIF_CORE_5 = '@oclif/core@5.1.9';

const LINES = [
  { name: 'node20-sdk2', node: () => process.execPath, deps: ['@opentelemetry/sdk-metrics@2.12.0', '@opentelemetry/api@1.9.0'] },
  { name: 'node22-sdk3', node: node22, deps: ['@opentelemetry/sdk-metrics@3.1.1', '@opentelemetry/api@1.10.0'] },
];

function npm(args, cwd) {
  try {
    return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${error.stdout}\n${error.stderr}`);
  }
}

/** Node 22 as the npm registry ships it (the per-platform binary package), cached. */
function node22() {
  const dir = join(cache, `node-${NODE_22}`);
  const pkg = `node-${process.platform}-${process.arch}`;
  const binary = join(dir, 'node_modules', pkg, 'bin', 'node');
  try {
    execFileSync(binary, ['--version']);
  } catch {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"private":true}');
    npm(['install', '--no-audit', '--no-fund', '--no-save', `${pkg}@${NODE_22}`], dir);
  }
  return binary;
}

// Fresh projects every run; the Node 22 download is kept.
mkdirSync(cache, { recursive: true });
for (const entry of readdirSync(cache)) if (!entry.startsWith('node-')) rmSync(join(cache, entry), { recursive: true, force: true });
const [{ filename }] = JSON.parse(npm(['pack', '--json', '--pack-destination', cache], repoRoot));
const tarball = join(cache, filename);

let failed = false;
for (const line of LINES) {
  const node = line.node();
  const project = join(cache, line.name);
  rmSync(project, { recursive: true, force: true });
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `compat-${line.name}`, private: true, type: 'module' }));
  // A resolution conflict (ERESOLVE) makes npm exit non-zero; strict peer checking makes a range mismatch one too.
  const output = npm(['install', '--no-audit', '--no-fund', '--strict-peer-deps', tarball, ...line.deps], project);
  if (/ERESOLVE/.test(output)) throw new Error(`${line.name}: npm reported ERESOLVE\n${output}`);
  npm(['ls', '--all'], project);
  for (const file of ['test/start/host-meter-provider.test.js', 'test/compat/otlp-smoke.test.js'])
    copyFileSync(join(repoRoot, file), join(project, file.split('/').pop()));
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`\n== ${line.name}: Node ${version}, ${line.deps.join(', ')}, cmdtel ${filename}`);
  try {
    execFileSync(node, ['--test', ...readdirSync(project).filter((f) => f.endsWith('.test.js'))], { cwd: project, stdio: 'inherit', timeout: 120_000 });
  } catch {
    failed = true;
    console.error(`${line.name}: tests failed`);
  }
}
// The framework adapters' process tests, with the examples run by Node 22 too.
console.log('\n== framework adapters under Node 22');
try {
  execFileSync(node22(), ['--test', 'test/integrations/adapters-frameworks.process.test.js', 'test/integrations/adapters-user-controls.process.test.js'], {
    cwd: repoRoot,
    stdio: 'inherit',
    timeout: 120_000,
  });
} catch {
  failed = true;
  console.error('framework adapters under Node 22: tests failed');
}
// The oclif example on @oclif/core 5 (Node 22 only), next to the tarball in a fresh project.
console.log(`\n== oclif adapter on ${OCLIF_CORE_5} under Node 22`);
try {
  const project = join(cache, 'oclif-core5');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'compat-oclif-core5', private: true, type: 'module' }));
  // npm itself runs on this Node; @oclif/core 5's engine (Node 22) is where it runs, below.
  npm(['install', '--no-audit', '--no-fund', '--strict-peer-deps', '--engine-strict=false', tarball, OCLIF_CORE_5], project);
  cpSync(join(repoRoot, 'examples', 'oclif'), join(project, 'example'), { recursive: true });
  execFileSync(node22(), ['--test', 'test/compat/oclif-core5.process.test.js'], {
    cwd: repoRoot,
    env: { ...process.env, CMDTEL_OCLIF5_PROJECT: project },
    stdio: 'inherit',
    timeout: 120_000,
  });
} catch (error) {
  failed = true;
  console.error(`oclif adapter on ${OCLIF_CORE_5}: ${error.message.split('\n')[0]}`);
}
// The documented calls, compiled by strict TypeScript consumers of the tarball.
console.log('\n== TypeScript consumers of the tarball');
try {
  execFileSync(process.execPath, ['--test', 'test/compat/typescript-consumers.test.js'], { cwd: repoRoot, stdio: 'inherit', timeout: 900_000 });
} catch {
  failed = true;
  console.error('TypeScript consumers: tests failed');
}
if (failed) process.exit(1);
console.log('\ncompat: every line passed');
