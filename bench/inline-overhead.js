#!/usr/bin/env node
// Claim (issues 2 and 12): against a CLI that already has one dependency,
// importing cmdtel costs almost nothing when off (≤ 1.02×), little with the
// file sink (≤ 1.05×), and sending OTLP inline to a reachable collector stays
// ≤ 1.5×; a bad collector adds at most the timeout plus 250 ms. Peak RSS of
// the command stays within +3 MiB.
import { pathToFileURL } from 'node:url';
import { runClaim } from './lib/claim.js';
import { VARIANTS as V } from './lib/variants.js';

export const variants = [V.oneDependency, V.bare, V.off, V.file, V.inlineReachable, V.inlineRefusing, V.inlineHanging, V.inlineHangingShort];

if (import.meta.url === pathToFileURL(process.argv[1]).href) await runClaim(variants);
