// A temporary directory per run set, with one home per variant inside it, so
// the one-time notice, saved choices, file sinks and spools of one variant
// never touch the user's files or another variant.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Variables passed through from the bench's own environment; everything else is dropped. */
const PASS_THROUGH = ['PATH', 'LANG', 'SYSTEMROOT'];

/** Packages installed for the bench only, in bench/alternatives/node_modules. */
export const ALTERNATIVES = ['posthog-node'];

/** Built files the fixtures need; a build running elsewhere may have removed them for a moment. */
const REQUIRED = ['dist/start/index.js', 'dist/delivery/otlp-pipeline.cjs', 'dist/recording/zod.cjs'];

export function createRunSet() {
  const root = mkdtempSync(join(tmpdir(), 'cmdtel-bench-'));
  return {
    /** Unique to this run set: every process the bench starts carries it in its environment. */
    root,
    /**
     * The environment for one variant: nothing inherited that could switch
     * telemetry on or off (DO_NOT_TRACK, OTEL_*, a real HOME), and every
     * place a library might keep state (HOME, XDG dirs, TMPDIR, the CLI's
     * config dir) inside the variant's own home.
     */
    envFor(variantId, vars) {
      const home = join(root, variantId);
      const dirs = {
        HOME: home,
        TMPDIR: join(home, 'tmp'),
        XDG_CONFIG_HOME: join(home, 'config'),
        XDG_STATE_HOME: join(home, 'state'),
        XDG_CACHE_HOME: join(home, 'cache'),
        BENCH_CONFIG_DIR: join(home, 'bench-cli'),
      };
      for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
      const env = { ...dirs, USERPROFILE: home, CMDTEL_BENCH_RUN_SET: root };
      for (const name of PASS_THROUGH) if (process.env[name] !== undefined) env[name] = process.env[name];
      return { ...env, ...vars(home) };
    },
    /**
     * Copies the built package (package.json, dist/) and the fixtures into the
     * run set, so a rebuild of dist/ during a long run cannot break or skew it.
     * The fixtures' `import 'cmdtel'` resolves to the copy by self-reference.
     * `name` names the copy's directory (a second build compared side by side gets its own).
     */
    snapshotPackage(packageRoot, name = 'package') {
      const missing = REQUIRED.filter((file) => !existsSync(join(packageRoot, file)));
      if (missing.length > 0) throw new Error(`the package is not built (missing ${missing.join(', ')}); run npm run build`);
      const copy = join(root, name);
      for (const entry of ['package.json', 'dist', 'bench/fixtures']) cpSync(join(packageRoot, entry), join(copy, entry), { recursive: true });
      // For anything built that resolves a dependency at run time (e.g. a sender process).
      if (existsSync(join(packageRoot, 'node_modules'))) symlinkSync(join(packageRoot, 'node_modules'), join(copy, 'node_modules'), 'junction');
      // The one-dependency reference CLI's dependency: an installed package in the ordinary place.
      const tiny = join(copy, 'bench', 'fixtures', 'node_modules', 'bench-tiny-dependency');
      mkdirSync(tiny, { recursive: true });
      writeFileSync(join(tiny, 'package.json'), JSON.stringify({ name: 'bench-tiny-dependency', version: '1.0.0', type: 'module', exports: './index.js' }));
      writeFileSync(join(tiny, 'index.js'), 'export const ready = true;\n');
      // The alternatives users would pick instead (bench/alternatives, installed by
      // `npm run bench:install`), where the fixtures resolve them; each resolves
      // its own dependencies from its real location.
      for (const name of ALTERNATIVES) {
        const installed = join(packageRoot, 'bench', 'alternatives', 'node_modules', name);
        if (existsSync(installed)) symlinkSync(installed, join(copy, 'bench', 'fixtures', 'node_modules', name), 'junction');
      }
      return copy;
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
