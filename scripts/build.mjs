// Builds dist/: one bundle per load stage, each in its own folder one level under dist/ so the
// relative paths between them (`../recording/runtime.cjs`, `../delivery/sender.js`) hold from any
// bundle. The folders of src/ are the stages; docs/design.md has the table of what loads when.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', legalComments: 'none' };

rmSync('dist', { recursive: true, force: true });
await Promise.all([
  // src/start/ (+ src/vocabulary/): what `import 'cmdtel'` loads on every start — the on/off decision and little else.
  // Minified: the off path's whole cost is loading this module, and V8 parses fewer bytes (≈ 0.3–0.5 ms measured).
  build({ ...common, format: 'esm', minify: true, entryPoints: { 'start/index': 'src/index.ts' }, outdir: 'dist' }),
  // src/recording/: everything used once telemetry is on; CommonJS so the synchronous createTelemetry can require it.
  // (import.meta is empty there: late-load.ts takes __filename, which its loader passes.)
  build({
    ...common,
    format: 'cjs',
    minify: true,
    entryPoints: { 'recording/runtime': 'src/recording/runtime.ts' },
    outExtension: { '.js': '.cjs' },
    outdir: 'dist',
    logOverride: { 'empty-import-meta': 'silent' },
  }),
  // zod/mini, loaded synchronously by the recording stage (configuration is needed before the first event),
  // and only for an environment value not in its plain form.
  build({
    ...common,
    format: 'cjs',
    minify: true,
    entryPoints: { 'recording/zod': 'src/recording/zod-subset.ts' },
    outExtension: { '.js': '.cjs' },
    outdir: 'dist',
  }),
  // src/delivery/otlp/: the OpenTelemetry SDK and OTLP exporter, bundled: ~20 ms to load instead of ~150 ms
  // unbundled. Their ES module builds (`module` field / condition) let the bundler drop what cmdtel never
  // calls (protobuf, traces, logs): ≈ half the load time of bundling their CommonJS builds. The output is
  // CommonJS so both the recording stage and the sender load it with late-load.ts (no dynamic import()).
  build({
    ...common,
    format: 'cjs',
    minify: true,
    mainFields: ['module', 'main'],
    conditions: ['module'],
    entryPoints: { 'delivery/otlp-pipeline': 'src/delivery/otlp/pipeline.ts' },
    outExtension: { '.js': '.cjs' },
    outdir: 'dist',
    logOverride: { 'empty-import-meta': 'silent' },
  }),
  // src/delivery/sender/: the background sender (docs/delivery.md), a process of its own that loads the
  // pipeline above only when it sends.
  build({ ...common, format: 'esm', minify: true, entryPoints: { 'delivery/sender': 'src/delivery/sender/main.ts' }, outdir: 'dist' }),
  // src/integrations/: framework adapters and user controls, each its own import (`cmdtel/commander`, ...);
  // the frameworks stay the host's. Minified: a CLI using an adapter loads it on every start.
  build({
    ...common,
    format: 'esm',
    minify: true,
    entryPoints: {
      'integrations/commander': 'src/integrations/commander.ts',
      'integrations/yargs': 'src/integrations/yargs.ts',
      'integrations/oclif': 'src/integrations/oclif.ts',
      'integrations/user-controls': 'src/integrations/user-controls.ts',
    },
    outdir: 'dist',
  }),
  // src/cli/ (+ src/report/): the `cmdtel` command.
  build({ ...common, format: 'esm', entryPoints: { 'cli/main': 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } }),
]);
// Each CommonJS stage bundle starts with a hash of its content: the key of its V8 code cache
// (src/start/late-load.ts), since V8 itself checks only the source's length.
for (const bundle of ['recording/runtime.cjs', 'recording/zod.cjs', 'delivery/otlp-pipeline.cjs']) {
  const file = join('dist', bundle);
  const content = readFileSync(file, 'utf8');
  writeFileSync(file, `// cmdtel bundle ${createHash('sha256').update(content).digest('hex').slice(0, 16)}\n${content}`);
}
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--emitDeclarationOnly', '--outDir', 'dist'], { stdio: 'inherit' });
