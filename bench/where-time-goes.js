#!/usr/bin/env node
// Not a claim but its explanation: for the main configurations, how the
// added wall time splits between loading cmdtel, deciding, and delivering.
import { pathToFileURL } from 'node:url';
import { measurePhases } from './lib/phases.js';
import { phaseTable } from './lib/page.js';
import { VARIANTS as V } from './lib/variants.js';

export const variants = [V.off, V.file, V.inlineReachable, V.backgroundReachable];

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${phaseTable(await measurePhases(variants))}\n`);
}
