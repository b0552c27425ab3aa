#!/usr/bin/env node
// Every claim in one interleaved run (shared rows timed once), printed and
// written to docs/benchmarks.md. `npm run bench` builds and installs the
// bench's alternatives first. The gateway section comes from the last
// bench/gateway-capacity.js run (bench/results/gateway-capacity.json).
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { variants as background } from './background-delivery.js';
import { variants as inline } from './inline-overhead.js';
import { roundsFromEnv, rssRunsFromEnv } from './lib/claim.js';
import { gatewaySection, readGatewayResults } from './lib/gateway-page.js';
import { RSS_METHOD, runBench } from './lib/harness.js';
import { findings, phaseTable, renderPage, textTable } from './lib/page.js';
import { measurePhases } from './lib/phases.js';
import { variants as sideBySide } from './side-by-side.js';
import { variants as explained } from './where-time-goes.js';

const PAGE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

const variants = [...new Set([...inline, ...background, ...sideBySide])];
const started = Date.now();
const loadBefore = loadavg();
const log = (line) => process.stderr.write(`${line}\n`);
const { results, senders, rounds } = await runBench(variants, { rounds: roundsFromEnv(), rssRuns: rssRunsFromEnv(), log });
log('where the time goes...');
const breakdown = await measurePhases(explained);
const gateway = gatewaySection(readGatewayResults());
writeFileSync(PAGE, renderPage({ results, breakdown, senders, rounds, rssMethod: RSS_METHOD, loadBefore, gateway, elapsedMs: Date.now() - started }));
process.stdout.write(`${textTable(results)}\n\n${phaseTable(breakdown)}\n`);
for (const note of findings(results)) process.stdout.write(`${note}\n`);
process.stdout.write('written: docs/benchmarks.md\n');
