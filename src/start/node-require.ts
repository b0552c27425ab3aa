import { createRequire } from 'node:module';

/**
 * A synchronous `require` that works in every bundle. Each load stage is built
 * into its own folder one level under `dist/` (`dist/start/index.js` is an ES
 * module, `dist/recording/runtime.cjs` is CommonJS, `dist/delivery/sender.js`
 * ...), so a path like `../recording/runtime.cjs` means the same file from any
 * of them, whichever bundle the calling code was built into.
 *
 * Why not plain imports: every module and Node built-in a CLI imports at the
 * top costs start-up time on every command, telemetry on or off. Loading what
 * is needed only when it is needed keeps "off" at a few string comparisons.
 */
// In the CommonJS build import.meta is empty, and __filename is the module's own path.
// (Not `typeof require`: the ES module build rewrites that name to a stub that throws.)
const thisModule: string = import.meta.url ?? __filename;
export const nodeRequire: NodeJS.Require = createRequire(thisModule);

/** The folder of the running bundle (`dist/<stage>/`). */
export function distDir(): string {
  const { dirname } = nodeRequire('node:path') as typeof import('node:path');
  const { fileURLToPath } = nodeRequire('node:url') as typeof import('node:url');
  return dirname(thisModule.startsWith('file:') ? fileURLToPath(thisModule) : thisModule);
}
