#!/usr/bin/env node
// Claim (issues 5 and 12): with background delivery the command never waits
// on the network: ≤ 1.05× a CLI with one dependency whether the collector is
// reachable, refusing, never answering or 300 ms away, and ≤ 1.25× on the
// first run in a fresh home, which starts a sender. Inline delivery is timed
// beside it.
import { pathToFileURL } from 'node:url';
import { runClaim } from './lib/claim.js';
import { VARIANTS as V } from './lib/variants.js';

export const variants = [
  V.oneDependency,
  V.inlineReachable,
  V.backgroundReachable,
  V.inlineRefusing,
  V.backgroundRefusing,
  V.inlineHanging,
  V.backgroundHanging,
  V.inlineDelayed,
  V.backgroundDelayed,
  V.backgroundFirstRun,
];

if (import.meta.url === pathToFileURL(process.argv[1]).href) await runClaim(variants);
