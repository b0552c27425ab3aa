#!/usr/bin/env node
// Claim (issue 5): with background delivery the command never waits on the
// network: ≤ 1.10× a bare CLI whether the collector is reachable, refusing,
// never answering or 300 ms away. Inline delivery is timed beside it.
import { pathToFileURL } from 'node:url';
import { runClaim } from './lib/claim.js';
import { VARIANTS as V } from './lib/variants.js';

export const variants = [
  V.bare,
  V.inlineReachable,
  V.backgroundReachable,
  V.inlineRefusing,
  V.backgroundRefusing,
  V.inlineHanging,
  V.backgroundHanging,
  V.inlineDelayed,
  V.backgroundDelayed,
];

if (import.meta.url === pathToFileURL(process.argv[1]).href) await runClaim(variants);
