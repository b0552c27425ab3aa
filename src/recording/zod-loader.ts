import { loadBundle } from '../start/late-load.js';
import type * as ZodSubset from './zod-subset.js';

/**
 * zod is the validator of record for environment values, but loading and
 * first use cost ≈ 7 ms — more than a whole file-sink invocation may add. So
 * it is loaded only for a value that is not already in its plain, canonical
 * form (see config.ts): a command with good settings never pays for it.
 * The build bundles the subset of `zod/mini` it uses into `dist/recording/zod.cjs`.
 */
export function loadZod(): typeof ZodSubset {
  return loadBundle('../recording/zod.cjs') as typeof ZodSubset;
}
