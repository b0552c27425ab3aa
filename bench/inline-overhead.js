#!/usr/bin/env node
// Claim (issue 2): importing cmdtel costs a CLI almost nothing when off
// (≤ 1.02×), little with the file sink (≤ 1.05×), and sending OTLP inline to a
// reachable collector stays ≤ 1.6×; a bad collector adds at most the timeout
// plus 250 ms.
import { pathToFileURL } from 'node:url';
import { runClaim } from './lib/claim.js';
import { VARIANTS as V } from './lib/variants.js';

export const variants = [V.bare, V.oneDependency, V.off, V.file, V.inlineReachable, V.inlineRefusing, V.inlineHanging, V.inlineHangingShort];

if (import.meta.url === pathToFileURL(process.argv[1]).href) await runClaim(variants);
