#!/usr/bin/env node
// Not a claim of cmdtel's but the comparison users make: what a CLI author
// would otherwise write — the OpenTelemetry SDK as its docs show it (collector
// reachable, refusing, never answering) and posthog-node configured for short
// processes — timed in one interleaved run with cmdtel's background and inline
// rows, against the same one-dependency CLI.
import { pathToFileURL } from 'node:url';
import { runClaim } from './lib/claim.js';
import { VARIANTS as V } from './lib/variants.js';

export const variants = [
  V.oneDependency,
  V.backgroundReachable,
  V.backgroundRefusing,
  V.backgroundHanging,
  V.inlineReachable,
  V.sdkReachable,
  V.sdkRefusing,
  V.sdkHanging,
  V.posthog,
];

if (import.meta.url === pathToFileURL(process.argv[1]).href) await runClaim(variants);
