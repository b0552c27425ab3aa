// Builds dist/: the small module every CLI imports, plus the heavy parts as
// separate files that load only when needed (see docs/design.md).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', legalComments: 'none' };
// CommonJS dependencies bundled into an ES module still call require() for node: builtins.
const requireShim = { js: "import { createRequire as __cmdtelCreateRequire } from 'node:module'; const require = __cmdtelCreateRequire(import.meta.url);" };

rmSync('dist', { recursive: true, force: true });
await Promise.all([
  // What `import 'cmdtel'` loads on every start: the on/off decision and little else.
  build({ ...common, format: 'esm', entryPoints: { index: 'src/index.ts' }, outdir: 'dist' }),
  // Everything used once telemetry is on; CommonJS so the synchronous createTelemetry can require it.
  // (import.meta is unused there: node-require.ts takes the CommonJS require when it exists.)
  build({ ...common, format: 'cjs', minify: true, entryPoints: { runtime: 'src/runtime.ts' }, outExtension: { '.js': '.cjs' }, outdir: 'dist', logOverride: { 'empty-import-meta': 'silent' } }),
  // Framework adapters and user controls: each its own import (`cmdtel/commander`, ...); the frameworks stay the host's.
  build({
    ...common,
    format: 'esm',
    entryPoints: {
      'adapters/commander': 'src/adapters/commander.ts',
      'adapters/yargs': 'src/adapters/yargs.ts',
      'adapters/oclif': 'src/adapters/oclif.ts',
      'user-controls': 'src/user-controls.ts',
    },
    outdir: 'dist',
  }),
  build({ ...common, format: 'esm', entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } }),
  // The OpenTelemetry SDK and OTLP exporter, bundled: ~20 ms to load instead of ~150 ms unbundled.
  // Their ES module builds (`module` field / condition) let the bundler drop what cmdtel never calls
  // (protobuf, traces, logs): ≈ half the load time of bundling their CommonJS builds.
  build({ ...common, format: 'esm', minify: true, mainFields: ['module', 'main'], conditions: ['module'], entryPoints: { 'otlp-pipeline': 'src/otlp/pipeline.ts' }, outdir: 'dist', banner: requireShim }),
  // The background sender (docs/delivery.md): a process of its own, loading the pipeline above only when it sends.
  build({ ...common, format: 'esm', minify: true, entryPoints: { sender: 'src/sender/main.ts' }, outdir: 'dist' }),
  // zod/mini, loaded synchronously (configuration is needed before the first event) only once telemetry is on.
  build({ ...common, format: 'cjs', minify: true, entryPoints: ['src/vendor/zod-subset.ts'], outfile: 'dist/vendor/zod.cjs' }),
]);
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--emitDeclarationOnly', '--outDir', 'dist'], { stdio: 'inherit' });
