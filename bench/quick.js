#!/usr/bin/env node
// A short interleaved run of the command-path rows only (no slow collectors, no
// alternatives): for checking a change to the command path before the full
// `npm run bench`. Not a claim; nothing is written to docs/.
import { runClaim } from './lib/claim.js';
import { VARIANTS as V } from './lib/variants.js';

await runClaim([V.oneDependency, V.off, V.file, V.backgroundReachable, V.backgroundFirstRun, V.inlineReachable]);
