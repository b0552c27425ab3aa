import { createRequire } from 'node:module';
import type * as ZodSubset from './vendor/zod-subset.js';

/**
 * zod is loaded only once telemetry is on: deciding that it is off must cost
 * a few string comparisons, not a module graph. The build bundles `zod/mini`
 * into `dist/vendor/zod.cjs`, which a synchronous require can load (the
 * configuration is needed synchronously, before the command's first event).
 */
export function loadZod(): typeof ZodSubset {
  return createRequire(import.meta.url)('./vendor/zod.cjs') as typeof ZodSubset;
}
