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
 *   `../recording/zod.cjs`, `../delivery/otlp-pipeline.cjs`): {@link loadBundle}, which reads the file and
 *   compiles it with `vm.compileFunction`, as Node's CommonJS loader does
 *   internally, minus what that loader costs a process whose main module is
 *   an ES module (≈ 2–3 ms measured on these machines: `createRequire`, path
 *   resolution, `realpath`, the package scope lookups). The bundles are
 *   self-contained, so they need no resolution: their `require` serves
 *   built-ins and their sibling bundles;
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
  const { compileFunction } = builtin('node:vm');
  const source = builtin('node:fs').readFileSync(file, 'utf8');
  // No `importModuleDynamically`: the bundles never call import() (Node 20 would warn that the option is experimental).
  const body = compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
  const directory = dirname(file);
  const module = { exports: {} as unknown };
  const requireInBundle = (id: string): unknown => (id.startsWith('.') ? loadBundleFile(join(directory, id)) : builtin(id));
  body.call(module.exports, module.exports, requireInBundle, module, file, directory);
  loaded.set(file, module.exports);
  return module.exports;
}

let hostRequire: NodeJS.Require | undefined;

/** A package the host CLI installed, resolved as Node would from cmdtel's own location. */
export function requireFromHost(id: string): unknown {
  hostRequire ??= builtin('node:module').createRequire(thisModule);
  return hostRequire(id);
}
