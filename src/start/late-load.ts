/**
 * How a bundle reaches code it loads late, without a CommonJS `require`.
 *
 * Every module and Node built-in a CLI imports at the top costs start-up time
 * on every command, telemetry on or off, so each stage loads what it needs
 * only when it needs it. Three kinds of late load:
 *
 * - a Node built-in: {@link builtin}, which is `process.getBuiltinModule`
 *   (no module resolution, no loader);
 * - one of cmdtel's own CommonJS stage bundles (`../recording/runtime.cjs`,
 *   `../recording/zod.cjs`, `../delivery/otlp-pipeline.cjs`): {@link loadBundle},
 *   which reads the file and compiles it with `node:vm`, as Node's CommonJS
 *   loader does internally, minus what that loader costs a process whose main
 *   module is an ES module (≈ 2–3 ms measured on these machines:
 *   `createRequire`, path resolution, `realpath`, the package scope lookups),
 *   and with V8's code cache once telemetry is on ({@link useCodeCache}). The
 *   bundles are self-contained, so they need no resolution: their `require`
 *   serves built-ins and their sibling bundles;
 * - a package the host installed (only `@opentelemetry/api`, for
 *   `useGlobalMeterProvider`): {@link requireFromHost}, a real `require`
 *   created on that first use.
 *
 * Each stage is built into its own folder one level under `dist/`
 * (`dist/start/index.js` is an ES module, `dist/recording/runtime.cjs` is
 * CommonJS, ...), so a path like `../recording/runtime.cjs` means the same file
 * from any of them, whichever bundle the calling code was built into.
 */

// In the ES module bundles this is the module's URL. In a CommonJS bundle import.meta is empty and
// __filename is the bundle's own path (given by loadBundle below, or by Node's loader).
const thisModule: string = import.meta.url ?? __filename;

type BuiltinModules = typeof process.getBuiltinModule;

/** A Node built-in module (`node:fs`, ...): no resolution and no loader involved. */
export const builtin = ((id: string) => process.getBuiltinModule(id)) as BuiltinModules;

/** The folder of the running bundle (`dist/<stage>/`). */
export function distDir(): string {
  const { dirname } = builtin('node:path');
  const { fileURLToPath } = builtin('node:url');
  return dirname(thisModule.startsWith('file:') ? fileURLToPath(thisModule) : thisModule);
}

const loaded = new Map<string, unknown>();
let codeCacheDir: string | undefined;

/** The folder of the config dir that holds the code cache. */
const CODE_CACHE_DIR_NAME = 'code-cache';

/**
 * Keeps the compiled code of the stage bundles between runs in `<configDir>/code-cache/` (V8's code
 * cache, as Node 22's `module.enableCompileCache` keeps it for modules): a run that finds it skips
 * parsing and compiling the bundle, ≈ half of what loading the recording stage costs. Called once
 * telemetry is on; before that, nothing is cached and nothing written.
 */
export function useCodeCache(configDir: string): void {
  codeCacheDir = builtin('node:path').join(configDir, CODE_CACHE_DIR_NAME);
}

/**
 * The exports of one of cmdtel's CommonJS stage bundles, by its path from
 * `dist/<stage>/` (`'../recording/runtime.cjs'`). Loaded once per copy of
 * cmdtel; a missing or broken bundle throws, as `require` would.
 */
export function loadBundle(relativePath: string): unknown {
  const { join } = builtin('node:path');
  return loadBundleFile(join(distDir(), relativePath));
}

function loadBundleFile(file: string): unknown {
  if (loaded.has(file)) return loaded.get(file);
  const { dirname, join } = builtin('node:path');
  const source = builtin('node:fs').readFileSync(file, 'utf8');
  const cache = codeCacheFor(file, source);
  const { Script } = builtin('node:vm');
  // The wrapper Node's CommonJS loader puts around a module, compiled as a script so V8 can cache it.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n});`, {
    filename: file,
    cachedData: cache?.read(),
  });
  if (cache !== undefined && script.cachedDataRejected !== false) cache.writeAtExit(script);
  const body = script.runInThisContext() as (...args: unknown[]) => void;
  const directory = dirname(file);
  const module = { exports: {} as unknown };
  const requireInBundle = (id: string): unknown => (id.startsWith('.') ? loadBundleFile(join(directory, id)) : builtin(id));
  body.call(module.exports, module.exports, requireInBundle, module, file, directory);
  loaded.set(file, module.exports);
  return module.exports;
}

/** The first line of every CommonJS stage bundle, written by the build: a hash of the rest of its content. */
const BUNDLE_HASH_LINE = /^\/\/ cmdtel bundle ([0-9a-f]{16})\n/;

/**
 * The code cache of one bundle: one file per bundle content, Node version and architecture. V8
 * checks its own version and flags and the source's length, not its content, so the content
 * hash (computed at build time) is part of the name: a new cmdtel never runs an old cache.
 * Never throws: an unreadable, unwritable or rejected cache means compiling as without one.
 */
function codeCacheFor(file: string, source: string) {
  const hash = BUNDLE_HASH_LINE.exec(source)?.[1];
  if (codeCacheDir === undefined || hash === undefined) return undefined;
  const directory = codeCacheDir;
  const fs = builtin('node:fs');
  const { basename, join } = builtin('node:path');
  const bundle = basename(file);
  const name = `${bundle}.${hash}.${process.version}.${process.arch}.v8`;
  return {
    read(): Buffer | undefined {
      try {
        return fs.readFileSync(join(directory, name));
      } catch {
        return undefined;
      }
    },
    /** At exit, so the cache holds every function this run compiled, not only the top level. */
    writeAtExit(script: import('node:vm').Script): void {
      process.once('exit', () => {
        try {
          fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
          // Whole or not at all, whatever other processes do at the same moment.
          const partial = join(directory, `${name}.${process.pid}.tmp`);
          fs.writeFileSync(partial, script.createCachedData());
          fs.renameSync(partial, join(directory, name));
          for (const other of fs.readdirSync(directory)) {
            if (other !== name && other.startsWith(`${bundle}.`) && other.endsWith('.v8')) fs.rmSync(join(directory, other), { force: true });
          }
        } catch {
          // A cache is an optimisation: without it the next run compiles, as this one did.
        }
      });
    },
  };
}

let hostRequire: NodeJS.Require | undefined;

/** A package the host CLI installed, resolved as Node would from cmdtel's own location. */
export function requireFromHost(id: string): unknown {
  hostRequire ??= builtin('node:module').createRequire(thisModule);
  return hostRequire(id);
}
